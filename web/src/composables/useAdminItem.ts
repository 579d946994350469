// The guide editor: one item's draft (or its published version, as the start of a new draft), saved
// with PUT /admin/catalog/items/{code}/draft, published and unpublished. The catalog rules are the
// API's: a 422 names each broken rule's field (details.fields), shown there by the view.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { errorFromBody, networkError } from '@/api/errors'
import { useApi } from './useApi'
import { useCall } from './useCall'
import { useSession } from './useSession'

export type ItemContent = components['schemas']['ItemContent']
export type MaterialIn = components['schemas']['MaterialIn']
export type AdminItemDetail = components['schemas']['AdminItemDetail']
type ItemDetail = components['schemas']['ItemDetail']
type MaterialOut = components['schemas']['MaterialOut']

export interface FileRef {
  uploadId: number
  filename: string
}
/** A material row of the editor: what the API takes, plus the names of its attached files. */
export type MaterialRow = MaterialIn & { blankForm: FileRef | null; sampleFile: FileRef | null }
type ResultIn = components['schemas']['ResultIn']
/** The editor's copy of a version: every element present (the API's defaults filled in). */
export type GuideForm = Required<Omit<ItemContent, 'materials' | 'result'>> & {
  result: Required<ResultIn>
  materials: MaterialRow[]
}

export const ITEM_TYPES: ItemContent['item_type'][] = [
  '行政许可',
  '行政确认',
  '行政给付',
  '行政裁决',
  '行政奖励',
  '行政征收',
  '行政备案',
  '其他行政权力',
  '公共服务',
]

export function emptyMaterial(): MaterialRow {
  return {
    name: '',
    necessity: 'required',
    kind: '',
    accepts_licence: '',
    forms: ['原件'],
    copies: 1,
    source: '申请人自备',
    blank_form_upload_id: null,
    sample_upload_id: null,
    notes: '',
    blankForm: null,
    sampleFile: null,
  }
}

function materialRow(m: MaterialOut): MaterialRow {
  return {
    name: m.name,
    necessity: m.necessity,
    kind: m.kind,
    // 电子证照: the licence type that may stand in for this material (kept as the API gave it)
    accepts_licence: (m.accepts_licence ?? '') as MaterialIn['accepts_licence'],
    forms: (m.forms?.length ? m.forms : ['原件']) as MaterialIn['forms'],
    copies: m.copies,
    source: m.source,
    blank_form_upload_id: m.blank_form_upload_id,
    sample_upload_id: m.sample_upload_id,
    notes: m.note,
    blankForm: m.blank_form ? { uploadId: m.blank_form.upload_id, filename: m.blank_form.filename } : null,
    sampleFile: m.sample ? { uploadId: m.sample.upload_id, filename: m.sample.filename } : null,
  }
}

/** The editable content of a version (the draft's, else the published one's). */
export function guideForm(v: ItemDetail): GuideForm {
  return {
    name: v.name,
    item_type: v.item_type as ItemContent['item_type'],
    audience: v.audience as ItemContent['audience'],
    statutory_days: v.statutory_days,
    promised_days: v.promised_days,
    time_unit: v.time_unit as ItemContent['time_unit'],
    processing_type: v.processing_type as ItemContent['processing_type'],
    visits: v.trips,
    visits_reason: v.visits_reason,
    online: v.online,
    online_depth: v.online_depth,
    deliverable: v.deliverable,
    bookable: v.bookable,
    charges_fee: v.charges_fee,
    fees: (v.fees ?? []).map((f) => ({ ...f })),
    fee_exemptions: v.fee_exemptions,
    basis: [...(v.basis ?? [])],
    conditions: [...(v.conditions ?? [])],
    procedure: (v.procedure ?? []).map((s) => ({ ...s })),
    steps: (v.steps ?? []).map((s) => ({ ...s })), // 电子监察: each step's limit and post
    place: v.place,
    hours: v.hours,
    contact: v.contact,
    complaint: v.complaint,
    result: { name: v.result?.name ?? '', type: v.result?.type ?? '' },
    faqs: (v.faqs ?? []).map((f) => ({ ...f })),
    keywords: [...(v.keywords ?? [])],
    online_url: v.online_url,
    effective_from: v.effective_from ?? null,
    // 电子证照 and 表单预填: what the result issues and the form's fields, kept through an edit
    issues_licence: (v.issues_licence ?? '') as ItemContent['issues_licence'],
    form_fields: [...(v.form_fields ?? [])] as Required<ItemContent>['form_fields'],
    home_visit: v.home_visit ?? false, // 上门服务 may be asked for
    materials: (v.materials ?? []).map(materialRow),
  }
}

/** The body of PUT …/draft: empty list lines dropped, the file names left out. */
export function draftBody(form: GuideForm): ItemContent {
  const lines = (values: string[]) => values.map((s) => s.trim()).filter(Boolean)
  return {
    ...form,
    basis: lines(form.basis),
    conditions: lines(form.conditions),
    keywords: lines(form.keywords),
    effective_from: form.effective_from || null,
    materials: form.materials.map(
      (m): MaterialIn => ({
        name: m.name,
        necessity: m.necessity,
        kind: m.kind,
        accepts_licence: m.accepts_licence,
        forms: m.forms,
        copies: m.copies,
        source: m.source,
        blank_form_upload_id: m.blank_form_upload_id,
        sample_upload_id: m.sample_upload_id,
        notes: m.notes,
      }),
    ),
  }
}

/** POST /uploads (multipart, field `file`) with the session's token: the blank form or sample of a material. */
export async function uploadFile(file: File, fetchFn: typeof fetch = (i, init) => window.fetch(i, init)): Promise<FileRef> {
  const session = useSession()
  const attempt = async () => {
    const body = new FormData()
    body.append('file', file, file.name)
    const token = session.tokens.accessToken()
    try {
      return await fetchFn('/api/v1/uploads', {
        method: 'POST',
        body,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        credentials: 'same-origin',
      })
    } catch {
      throw networkError()
    }
  }
  let response = await attempt()
  if (response.status === 401 && (await session.tokens.refresh())) response = await attempt()
  const data: unknown = await response.json().catch(() => null)
  if (!response.ok) throw errorFromBody(response.status, data)
  const answer = data as { id: number; filename: string }
  return { uploadId: answer.id, filename: answer.filename }
}

export function useAdminItem(code: () => string, api = useApi()) {
  const state = reactive({ detail: null as AdminItemDetail | null, form: null as GuideForm | null, notice: '' })
  const call = useCall()

  function take(detail: AdminItemDetail) {
    state.detail = detail
    const version = detail.draft ?? detail.published
    state.form = version ? guideForm(version) : null
  }

  async function load(): Promise<void> {
    await call.run(async () => take(await api.get('/api/v1/admin/catalog/items/{code}', { path: { code: code() } })))
  }

  async function save(): Promise<boolean> {
    if (!state.form) return false
    const body = draftBody(state.form)
    const done = await call.run(async () => {
      take(await api.put('/api/v1/admin/catalog/items/{code}/draft', { path: { code: code() }, body }))
      return true
    })
    if (done) state.notice = '草稿已保存'
    return Boolean(done)
  }

  async function publish(): Promise<boolean> {
    const done = await call.run(async () => {
      take(await api.post('/api/v1/admin/catalog/items/{code}/publish', { path: { code: code() } }))
      return true
    })
    if (done) state.notice = '已发布，市民即可看到新版本'
    return Boolean(done)
  }

  /** 保存并发布: the draft as edited, then publish it. */
  async function saveAndPublish(): Promise<boolean> {
    return (await save()) && (await publish())
  }

  async function unpublish(): Promise<boolean> {
    const done = await call.run(async () => {
      take(await api.post('/api/v1/admin/catalog/items/{code}/unpublish', { path: { code: code() } }))
      return true
    })
    if (done) state.notice = '已下线，市民不再可见'
    return Boolean(done)
  }

  return { state, busy: call.busy, errors: call.errors, load, save, publish, saveAndPublish, unpublish }
}
