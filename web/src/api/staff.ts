// The staff views' data, read defensively from the API's answers: a field the server does not send
// (yet) becomes an empty value, so a page keeps working with whatever the API offers. No rule is
// computed here: which actions show, deadlines and working days left all come from the server.
type Raw = Record<string, unknown>

const str = (value: unknown): string => (typeof value === 'string' ? value : '')
const strOrNull = (value: unknown): string | null => (typeof value === 'string' && value ? value : null)
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const obj = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {})
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(obj) : [])

/** The transitions a staff member may ask for, as the API names them, and the buttons' labels. */
export const ACTION_LABELS = {
  accept: '受理',
  request_supplement: '一次性告知补正',
  not_accept: '不予受理',
  suspend: '暂停计时',
  resume: '恢复办理',
  approve: '准予',
  reject: '不予许可',
  deliver: '送达',
} as const
export type CaseAction = keyof typeof ACTION_LABELS
export const ACTION_PATHS: Record<CaseAction, string> = {
  accept: 'accept',
  request_supplement: 'request-supplement',
  not_accept: 'not-accept',
  suspend: 'suspend',
  resume: 'resume',
  approve: 'approve',
  reject: 'reject',
  deliver: 'deliver',
}

export const STATUS_LABELS: Record<string, string> = {
  submitted: '待受理',
  supplement_required: '待补正',
  accepted: '已受理',
  suspended: '暂停计时',
  approved: '已准予',
  rejected: '不予许可',
  delivered: '已送达',
  not_accepted: '不予受理',
  withdrawn: '已撤回',
}

export interface CaseRow {
  id: number
  number: string
  itemName: string
  status: string
  statusText: string
  applicantName: string
  submittedAt: string
  deadline: string | null
  warning: string
  workingDaysLeft: number | null
}

export function caseRow(raw: unknown): CaseRow {
  const r = obj(raw)
  const applicant = obj(r.applicant)
  return {
    id: num(r.id) ?? 0,
    number: str(r.number),
    itemName: str(obj(r.item).name),
    status: str(r.status),
    statusText: str(r.status_text) || STATUS_LABELS[str(r.status)] || str(r.status),
    applicantName: str(r.applicant_name) || str(applicant.name),
    submittedAt: str(r.submitted_at),
    deadline: strOrNull(r.deadline),
    warning: str(r.warning) || 'none',
    workingDaysLeft: num(r.working_days_left) ?? num(r.days_left),
  }
}

export interface CaseFile {
  id: number
  filename: string
  contentType: string
  size: number
  uploadedAt: string | null
  replaced: boolean
  previewUrl: string | null
}

export interface CaseMaterial {
  id: number
  name: string
  requirement: string
  form: string
  copies: number | null
  note: string
  /** not handed in yet (容缺, or asked for by a supplement request), and by when */
  missing: boolean
  due: string | null
  files: CaseFile[]
  /** an e-licence the applicant consented to use instead of an upload (电子证照); after a revoked
   * consent only its status text remains */
  licence: MaterialLicence | null
}

export interface MaterialLicence {
  revoked: boolean
  statusText: string
  licenceType: string
  number: string
  issuer: string
  validUntil: string | null
}

function materialLicence(raw: unknown): MaterialLicence | null {
  const l = obj(raw)
  if (!l.status) return null
  return {
    revoked: l.status === 'revoked',
    statusText: str(l.status_text),
    licenceType: str(l.licence_type),
    number: str(l.number),
    issuer: str(l.issuer),
    validUntil: strOrNull(l.valid_until),
  }
}

export interface TimelineEntry {
  status: string
  statusText: string
  at: string
  note: string
  actor: string
}

export interface CaseDetail extends CaseRow {
  departmentCode: string
  itemCode: string
  itemVersion: string
  applicant: { name: string; idNumber: string; phone: string }
  materials: CaseMaterial[]
  missing: { id: number; name: string }[]
  missingDue: string | null
  timeline: TimelineEntry[]
  actions: CaseAction[]
  suspendedDays: number | null
  delivery: { channel: string; company: string; waybill: string } | null
  deliveryAddress: string
  /** 村级代办: the villager's consent signed at the village point (null for every other case) */
  pointConsent: { pointName: string; agentName: string; consentedAt: string; signatureUrl: string } | null
}

function pointConsent(raw: unknown): CaseDetail['pointConsent'] {
  const c = obj(raw)
  if (!str(c.signature_url)) return null
  return {
    pointName: str(c.point_name),
    agentName: str(c.agent_name),
    consentedAt: str(c.consented_at),
    signatureUrl: str(c.signature_url),
  }
}

const REQUIREMENT: Record<string, string> = {
  required: '必需',
  tolerated: '容缺',
  tolerable: '容缺',
  optional: '可选',
}

function caseFile(raw: Raw): CaseFile {
  return {
    id: num(raw.upload_id) ?? num(raw.id) ?? 0,
    filename: str(raw.filename),
    contentType: str(raw.content_type),
    size: num(raw.size) ?? 0,
    uploadedAt: strOrNull(raw.uploaded_at),
    replaced: raw.replaced === true || Boolean(raw.replaced_by) || raw.superseded === true,
    previewUrl: strOrNull(raw.preview_url),
  }
}

function requirementText(raw: Raw): string {
  const value = raw.requirement ?? raw.necessity ?? raw.required
  if (typeof value === 'boolean') return value ? '必需' : '可选'
  return REQUIREMENT[str(value)] ?? str(value)
}

function address(raw: unknown): string {
  const a = obj(raw)
  if (!Object.keys(a).length) return ''
  return [a.name, a.phone, a.province, a.city, a.district, a.address].map(str).filter(Boolean).join(' ')
}

export function caseDetail(raw: unknown): CaseDetail {
  const r = obj(raw)
  const applicant = obj(r.applicant)
  const version = obj(r.item_version).version ?? r.item_version
  const actions = (Array.isArray(r.allowed_actions) ? r.allowed_actions : r.staff_actions) as unknown
  const delivery = obj(r.delivery)
  return {
    ...caseRow(raw),
    applicantName: str(applicant.name) || str(r.applicant_name),
    departmentCode: str(r.department_code),
    itemCode: str(obj(r.item).code),
    itemVersion: typeof version === 'number' ? `指南第 ${version} 版` : '',
    applicant: { name: str(applicant.name), idNumber: str(applicant.id_number), phone: str(applicant.phone) },
    materials: list(r.materials).map((m) => ({
      id: num(m.material_id) ?? num(m.id) ?? 0,
      name: str(m.name),
      requirement: requirementText(m),
      form: str(m.form),
      copies: num(m.copies),
      note: str(m.note),
      missing: m.missing === true,
      due: strOrNull(m.due),
      files: list(m.files ?? m.uploads).map(caseFile),
      licence: materialLicence(m.licence),
    })),
    missing: list(r.missing).map((m) => ({ id: num(m.id) ?? 0, name: str(m.name) })),
    missingDue: strOrNull(r.missing_due),
    timeline: list(r.timeline).map((t) => {
      const actor = obj(t.actor)
      return {
        status: str(t.status),
        statusText: str(t.status_text) || STATUS_LABELS[str(t.status)] || str(t.status),
        at: str(t.at),
        note: str(t.note),
        actor: typeof t.actor === 'string' ? t.actor : str(actor.name) || str(actor.username) || str(t.actor_name),
      }
    }),
    actions: Array.isArray(actions)
      ? (actions.filter((a) => typeof a === 'string' && a in ACTION_LABELS) as CaseAction[])
      : [],
    suspendedDays: num(r.suspended_days),
    delivery: delivery.channel
      ? { channel: str(delivery.channel), company: str(delivery.company), waybill: str(delivery.waybill) }
      : null,
    deliveryAddress: address(r.delivery_address ?? delivery.address),
    pointConsent: pointConsent(r.point_consent),
  }
}

/** `/staff/applications/counts`: badge numbers by status, plus the warning colours. */
export function caseCounts(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(obj(raw))) {
    if (typeof value === 'number') out[key] = value
  }
  return out
}

export interface Ticket {
  id: number | null
  number: string
  status: string
  kind: string
  window: string
  calledAt: string | null
}

export function ticket(raw: unknown): Ticket {
  const r = obj(raw)
  return {
    id: num(r.id) ?? num(r.ticket_id),
    number: str(r.number),
    status: str(r.status),
    kind: str(r.kind),
    window: str(r.window),
    calledAt: strOrNull(r.called_at),
  }
}

export interface QueueState {
  waiting: Ticket[]
  called: Ticket[]
}

export function queueState(raw: unknown): QueueState {
  const r = obj(raw)
  const current = [...list(r.called), ...list(r.serving)].map(ticket)
  return { waiting: list(r.waiting).map(ticket), called: current }
}

export interface Desk {
  officeCode: string
  officeName: string
  groupCode: string
  groupName: string
  window: string
  /** AB角: absent colleagues whose window group this clerk calls for too */
  covering: { absentName: string; groupName: string }[]
}

export function desk(raw: unknown): Desk {
  const r = obj(raw)
  const group = obj(r.group)
  const window = obj(r.window)
  return {
    officeCode: str(group.office_code),
    officeName: str(group.office_name),
    groupCode: str(group.code),
    groupName: str(group.name),
    window: str(window.number) || str(window.name),
    covering: list(r.covering).map((c) => ({ absentName: str(c.absent_name), groupName: str(c.group_name) })),
  }
}

export interface AppointmentRow {
  id: number
  start: string
  end: string
  name: string
  phone: string
  itemName: string
  status: string
  statusText: string
  queueNumber: string
}

/** "2026-09-29T09:00:00+08:00" → "09:00" (the slot's local time as the server wrote it) */
const hhmm = (value: string): string => /T(\d\d:\d\d)/.exec(value)?.[1] ?? value

export function appointmentRow(raw: unknown): AppointmentRow {
  const r = obj(raw)
  const slot = obj(r.slot)
  return {
    id: num(r.id) ?? 0,
    start: hhmm(str(slot.start)),
    end: hhmm(str(slot.end)),
    name: str(r.applicant_name) || str(r.name),
    phone: str(r.phone),
    itemName: str(r.item_name),
    status: str(r.status),
    statusText: str(r.status_text) || str(r.status),
    queueNumber: str(r.queue_number),
  }
}

export { list as rawList, obj as rawObject }
