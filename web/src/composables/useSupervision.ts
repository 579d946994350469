// 电子监察's data: the dashboard (GET /staff/stats/dashboard), the lists (warnings, bad ratings,
// complaints, rating appeals, cases), and the Excel exports (fetched with the bearer token, saved
// through a blob link). Rows are read defensively: a field the server does not send is empty.
import { reactive } from 'vue'
import type { ApiClient } from '@/api/client'
import { dashboard, type Dashboard } from './useChartsData'
import { useApi } from './useApi'
import { useCall } from './useCall'
import { useSession } from './useSession'
import type { Period } from './useSupervisionPeriod'

type Raw = Record<string, unknown>
const obj = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {})
const str = (value: unknown): string => (typeof value === 'string' ? value : '')
const strOrNull = (value: unknown): string | null => (typeof value === 'string' && value ? value : null)
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

export function useDashboard(api: ApiClient = useApi()) {
  const state = reactive({ data: null as Dashboard | null })
  const call = useCall()
  async function load(period: Period): Promise<void> {
    await call.run(async () => {
      const raw = await api.raw('get', '/api/v1/staff/stats/dashboard', {
        query: { from: period.from, to: period.to, interval: period.interval },
      })
      state.data = dashboard(raw)
    })
  }
  return { state, busy: call.busy, errors: call.errors, load }
}

export interface WarningRow {
  id: number
  level: string
  caseId: number
  number: string
  itemName: string
  departmentCode: string
  departmentName: string
  status: string
  deadline: string | null
  daysOverdue: number | null
  createdAt: string
}

export function warningRow(raw: unknown): WarningRow {
  const r = obj(raw)
  return {
    id: num(r.id) ?? 0,
    level: str(r.level),
    caseId: num(r.case_id) ?? num(r.application_id) ?? 0,
    number: str(r.number),
    itemName: str(r.item_name),
    departmentCode: str(r.department_code),
    departmentName: str(r.department_name) || str(r.department_code),
    status: str(r.status),
    deadline: strOrNull(r.deadline),
    daysOverdue: num(r.days_overdue),
    createdAt: str(r.created_at),
  }
}

export interface BadRatingRow {
  id: number
  applicationId: number | null
  number: string
  departmentCode: string
  level: number | null
  levelText: string
  comment: string
  status: string
  statusText: string
  visitDue: string | null
  visitedAt: string | null
  rectifyDue: string | null
  rectifiedAt: string | null
  overdue: boolean
  visitOverdue: boolean
  rectifyOverdue: boolean
  createdAt: string
}

export function badRatingRow(raw: unknown, today: string): BadRatingRow {
  const r = obj(raw)
  const rect = obj(r.rectification)
  const pick = (name: string) => strOrNull(r[name]) ?? strOrNull(rect[name])
  const visitDue = pick('visit_due')
  const visitedAt = pick('visited_at')
  const rectifyDue = pick('rectify_due')
  const rectifiedAt = pick('rectified_at')
  // the API's overdue flag wins; per deadline, a date passed with the step not done is shown red too
  const visitOverdue = !visitedAt && visitDue !== null && visitDue < today
  const rectifyOverdue = !rectifiedAt && rectifyDue !== null && rectifyDue < today
  const overdue = typeof r.overdue === 'boolean' ? r.overdue : visitOverdue || rectifyOverdue
  return {
    id: num(r.id) ?? 0,
    applicationId: num(r.application_id),
    number: str(r.application_number),
    departmentCode: str(r.department_code),
    level: num(r.level),
    levelText: str(r.level_text),
    comment: str(r.comment),
    status: str(rect.status) || str(r.status),
    statusText: str(rect.status_text) || str(r.status_text),
    visitDue,
    visitedAt,
    rectifyDue,
    rectifiedAt,
    overdue,
    visitOverdue: overdue && visitOverdue,
    rectifyOverdue: overdue && rectifyOverdue,
    createdAt: str(r.created_at),
  }
}

export interface ComplaintRow {
  id: number
  applicationId: number | null
  number: string
  departmentCode: string
  content: string
  firstContact: string
  status: string
  dueOn: string
  reply: string
  repliedAt: string | null
  overdue: boolean
  createdAt: string
}

export function complaintRow(raw: unknown): ComplaintRow {
  const r = obj(raw)
  return {
    id: num(r.id) ?? 0,
    applicationId: num(r.application_id),
    number: str(r.application_number),
    departmentCode: str(r.department_code),
    content: str(r.content),
    firstContact: str(r.first_contact_staff),
    status: str(r.status),
    dueOn: str(r.due_on),
    reply: str(r.reply),
    repliedAt: strOrNull(r.replied_at),
    overdue: r.overdue === true,
    createdAt: str(r.created_at),
  }
}

export interface AppealRow {
  id: number
  ratingId: number
  departmentCode: string
  reason: string
  status: string
  filedAt: string
  decidedAt: string | null
  decisionReason: string
}

export function appealRow(raw: unknown): AppealRow {
  const r = obj(raw)
  return {
    id: num(r.id) ?? 0,
    ratingId: num(r.rating_id) ?? 0,
    departmentCode: str(r.department_code),
    reason: str(r.reason),
    status: str(r.status),
    filedAt: str(r.filed_at),
    decidedAt: strOrNull(r.decided_at),
    decisionReason: str(r.decision_reason),
  }
}

/** Query values for the API: empty ones left out (the client drops them too). */
export function listQuery(filters: Record<string, unknown>, page: number, size: number): Record<string, string | number> {
  const out: Record<string, string | number> = { page, size }
  for (const [key, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value.trim()) out[key] = value.trim()
  }
  return out
}

/** A paged list of one endpoint, filtered by the view's filters. */
export function useSupervisedList<T>(path: string, row: (raw: unknown) => T, api: ApiClient = useApi()) {
  const state = reactive({ items: [] as T[], total: 0, page: 1, size: 20, loaded: false })
  const call = useCall()
  async function load(filters: Record<string, unknown>): Promise<void> {
    await call.run(async () => {
      const data = obj(await api.raw('get', path, { query: listQuery(filters, state.page, state.size) }))
      state.items = (Array.isArray(data.items) ? data.items : []).map(row) as never
      state.total = num(data.total) ?? 0
      state.loaded = true
    })
  }
  return { state, busy: call.busy, errors: call.errors, load, run: call.run }
}

export type ExportKind = 'warnings' | 'bad-ratings' | 'complaints' | 'stats' | 'performance'

/** GET /staff/exports/{kind}.xlsx with the bearer token (once more after a refresh), then a download. */
export async function downloadExport(kind: ExportKind, filters: Record<string, unknown>): Promise<string> {
  const session = useSession()
  const query = new URLSearchParams(listQuery(filters, 1, 1) as Record<string, string>)
  query.delete('page')
  query.delete('size')
  const url = `/api/v1/staff/exports/${kind}.xlsx${query.size ? `?${query}` : ''}`
  const attempt = () =>
    window.fetch(url, { headers: { authorization: `Bearer ${session.tokens.accessToken() ?? ''}` }, credentials: 'same-origin' })
  let response = await attempt()
  if (response.status === 401 && (await session.tokens.refresh())) response = await attempt()
  if (!response.ok) {
    const body = obj(await response.json().catch(() => ({})))
    return str(obj(body.error).message) || `导出失败（${response.status}）`
  }
  const blob = await response.blob()
  const disposition = response.headers.get('content-disposition') ?? ''
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1]
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = named ? decodeURIComponent(named) : `${kind}.xlsx`
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  return ''
}
