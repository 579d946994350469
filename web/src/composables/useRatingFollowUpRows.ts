// 差评整改 for the handling department: the API's StaffRatingView as the page shows it (one row of the
// list, the detail's notes timeline and appeals). Which step is allowed is the API's business: the page
// offers exactly the rating's `actions` (what the caller may do now).
import type { Schemas } from '@/api/types'
import { ROLE_LABELS } from './useSession'

export type StaffRating = Schemas['StaffRatingView']
export type RectificationStatus = NonNullable<StaffRating['rectification_status']>
export type FollowUpStep = 'return_visit' | 'rectify'
export type StaffAction = NonNullable<StaffRating['actions']>[number]

export const STEP_TEXT: Record<FollowUpStep, string> = { return_visit: '记录回访', rectify: '登记整改' }

/** what each note of the timeline records, by the status it led to */
const NOTE_TEXT: Record<RectificationStatus, string> = {
  open: '差评转办',
  visited: '记录回访',
  rectified: '登记整改',
  closed: '整改办结',
}

const APPEAL_TEXT: Record<string, string> = { pending: '待审核', upheld: '申诉成立', dismissed: '申诉不成立' }

export interface FollowUpRow {
  id: number
  applicationId: number | null
  number: string
  departmentName: string
  level: number
  levelText: string
  tags: string[]
  comment: string
  createdAt: string
  status: RectificationStatus | null
  statusText: string
  visitDue: string | null
  visitedAt: string | null
  rectifyDue: string | null
  rectifiedAt: string | null
  overdue: boolean
  visitOverdue: boolean
  rectifyOverdue: boolean
  excluded: boolean
  exclusionReason: string
  automatic: boolean
  actions: StaffAction[]
}

export interface TimelineEntry {
  at: string
  title: string
  actor: string
  note: string
}

export interface AppealEntry {
  id: number
  reason: string
  status: string
  statusText: string
  filedAt: string
  decisionReason: string
}

export interface FollowUpDetail extends FollowUpRow {
  timeline: TimelineEntry[]
  appeals: AppealEntry[]
  pendingAppeal: boolean
}

/** "2026-11-20T09:30:00+08:00" → "2026-11-20 09:30" */
export const minute = (value: string | null | undefined): string =>
  value ? value.replace('T', ' ').slice(0, 16) : '—'

export function followUpRow(r: StaffRating, today: string): FollowUpRow {
  const rect = r.rectification ?? null
  const visitDue = r.visit_due ?? rect?.visit_due ?? null
  const rectifyDue = r.rectify_due ?? rect?.rectify_due ?? null
  const visitedAt = r.visited_at ?? rect?.visited_at ?? null
  const rectifiedAt = rect?.rectified_at ?? null
  // the API says whether the rating is overdue; the page only tells which deadline is the late one
  const overdue = r.overdue
  return {
    id: r.id,
    applicationId: r.application_id,
    number: r.application_number ?? '',
    departmentName: r.department_name ?? r.department_code,
    level: r.level,
    levelText: r.level_text,
    tags: r.tags,
    comment: r.comment,
    createdAt: r.created_at,
    status: r.rectification_status ?? rect?.status ?? null,
    statusText: r.rectification_status_text ?? rect?.status_text ?? '',
    visitDue,
    visitedAt,
    rectifyDue,
    rectifiedAt,
    overdue,
    visitOverdue: overdue && !visitedAt,
    rectifyOverdue: overdue && !rectifiedAt && (visitedAt !== null || (rectifyDue !== null && rectifyDue < today)),
    excluded: r.excluded,
    exclusionReason: r.exclusion_reason,
    automatic: r.automatic,
    actions: r.actions ?? [],
  }
}

export function followUpDetail(r: StaffRating, today: string): FollowUpDetail {
  const appeals = (r.appeals ?? []).map((a) => ({
    id: a.id,
    reason: a.reason,
    status: a.status,
    statusText: APPEAL_TEXT[a.status] ?? a.status,
    filedAt: a.filed_at,
    decisionReason: a.decision_reason,
  }))
  return {
    ...followUpRow(r, today),
    timeline: (r.notes ?? []).map((n) => ({
      at: n.at,
      title: NOTE_TEXT[n.to_status] ?? n.to_status,
      actor: ROLE_LABELS[n.actor_role] ?? (n.actor_role === 'citizen' ? '评价人' : n.actor_role === 'system' ? '系统' : n.actor_role),
      note: n.note,
    })),
    appeals,
    pendingAppeal: appeals.some((a) => a.status === 'pending'),
  }
}

/** 记录回访 / 登记整改, as the API offers them on the rating (its `actions`) */
export function offeredSteps(detail: FollowUpRow | null): FollowUpStep[] {
  if (!detail) return []
  return detail.actions.filter((a): a is FollowUpStep => a === 'return_visit' || a === 'rectify')
}
