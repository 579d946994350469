import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { itemState, type AdminItem } from '@/composables/useAdminCatalog'
import { cellKind, monthGrid, monthRange, useAdminCalendar, type CalendarDay } from '@/composables/useAdminCalendar'
import { scheduleBody, scheduleForm } from '@/composables/useAdminHalls'
import { draftBody, guideForm, useAdminItem } from '@/composables/useAdminItem'
import { windowOptions } from '@/composables/useAdminStaff'
import { apiError, fakeFetch, json } from './fakeApi'

const VERSION = {
  code: 'GA-DOG-01',
  name: '犬只免疫证明核发',
  department: 'GA',
  department_name: '公安局',
  issues_licence: 'business_licence',
  form_fields: ['company_name'],
  audience: 'personal',
  item_type: '行政确认',
  trips: 1,
  online: true,
  deliverable: true,
  bookable: false,
  promised_days: 5,
  legal_days: 20,
  instant: false,
  basic_code: '000123456789',
  version: 1,
  status: 'published',
  effective_from: null,
  published_at: '2026-11-16T09:00:00+08:00',
  statutory_days: 20,
  time_unit: 'working_day',
  processing_type: 'promised',
  processing_type_label: '承诺件',
  visits_reason: '需携犬',
  online_depth: 3,
  online_depth_label: '三级',
  charges_fee: false,
  fees: [],
  fee_exemptions: '',
  basis: ['《条例》第十条'],
  conditions: ['年满 18 周岁'],
  procedure: [{ name: '受理', description: '', time_limit: '' }],
  place: 'A 区',
  hours: '工作日',
  contact: '12345',
  complaint: '12345',
  result: { name: '证明', type: '证照' },
  faqs: [],
  keywords: ['狗证'],
  online_url: '',
  department_phone: '',
  department_address: '',
  views: 0,
  applications: 0,
  materials: [
    {
      id: 11,
      name: '居民身份证',
      required: true,
      form: '原件',
      copies: 1,
      note: '核验后退还',
      necessity: 'required',
      tolerated: false,
      kind: 'id_card',
      accepts_licence: '',
      forms: ['原件'],
      source: '公安机关',
      blank_form_upload_id: 7,
      sample_upload_id: null,
      position: 0,
      blank_form: { upload_id: 7, filename: '申请表.pdf', content_type: 'application/pdf', size: 10, url: '/x' },
      sample: null,
    },
  ],
}
const DETAIL = {
  item: { code: 'GA-DOG-01', basic_code: '', name: '犬只免疫证明核发', department: 'GA', is_published: true, published_version_id: 1, draft_version_id: null, views: 0, applications: 0, updated_at: '2026-11-16T09:00:00+08:00' },
  draft: null,
  published: VERSION,
  versions: [],
}

describe('the guide editor', () => {
  it('edits a copy of the published version and sends back only what the draft schema takes', () => {
    const form = guideForm(VERSION as never)
    expect(form.visits).toBe(1)
    expect(form.materials[0]).toMatchObject({ notes: '核验后退还', blank_form_upload_id: 7, blankForm: { filename: '申请表.pdf' } })
    form.basis.push('  ', '《办法》第三条 ')
    const body = draftBody(form)
    expect(body.basis).toEqual(['《条例》第十条', '《办法》第三条'])
    // what the editor shows no field for yet is sent back as it was (an edit never drops it)
    expect([body.issues_licence, body.form_fields]).toEqual(['business_licence', ['company_name']])
    expect(Object.keys(body.materials![0]!).sort()).toEqual(
      ['accepts_licence', 'blank_form_upload_id', 'copies', 'forms', 'kind', 'name', 'necessity', 'notes', 'sample_upload_id', 'source'],
    )
  })

  it('shows a broken catalog rule at the field the API names and keeps what was typed', async () => {
    const fetch = fakeFetch((request) => {
      if (request.method === 'GET') return json(200, DETAIL)
      return apiError(422, 'PROMISED_EXCEEDS_STATUTORY', '承诺办结时限不能超过法定办结时限', {
        violations: [{ code: 'PROMISED_EXCEEDS_STATUTORY', message: '承诺办结时限不能超过法定办结时限', field: 'promised_days' }],
        fields: { 'body.promised_days': '承诺办结时限不能超过法定办结时限' },
      })
    })
    const editor = useAdminItem(() => 'GA-DOG-01', createApiClient({ fetch }))
    await editor.load()
    editor.state.form!.promised_days = 30
    expect(await editor.save()).toBe(false)
    expect(editor.errors.fields.promised_days).toBe('承诺办结时限不能超过法定办结时限')
    expect(editor.state.form!.promised_days).toBe(30)
    expect(fetch.seen.at(-1)).toMatchObject({ method: 'PUT', url: '/api/v1/admin/catalog/items/GA-DOG-01/draft' })
  })

  it('names the item list states', () => {
    const base = DETAIL.item as AdminItem
    expect(itemState(base).label).toBe('已发布')
    expect(itemState({ ...base, draft_version_id: 2 }).label).toBe('已发布（有待发布草稿）')
    expect(itemState({ ...base, is_published: false, published_version_id: null, draft_version_id: 2 }).label).toBe('草稿')
    expect(itemState({ ...base, is_published: false }).label).toBe('已下线')
  })
})

const day = (date: string, kind: CalendarDay['kind'], known = true, override: CalendarDay['override'] = null): CalendarDay => ({
  date,
  weekday: 1,
  kind,
  working_day: kind === 'workday',
  known,
  name: null,
  override,
})

describe('the calendar', () => {
  it('lays a month out in weeks from Monday and names an unknown year', () => {
    expect(monthRange(2026, 2)).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    const weeks = monthGrid(2026, 11, [day('2026-11-01', 'weekend')])
    expect(weeks[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null]) // 1 Nov 2026 is a Sunday
    expect(weeks[0]![6]!.date).toBe('2026-11-01')
    expect(cellKind(day('2054-01-05', 'workday', false))).toBe('unknown')
    expect(cellKind(day('2054-01-05', 'holiday_service', false, 'admin'))).toBe('holiday_service')
  })

  it('previews an import with dry_run=true and applies it with dry_run=false', async () => {
    const answer = { year: 2027, known_before: false, applied: false, holidays: 3, workdays: 0, changes: [] }
    const fetch = fakeFetch((request) => json(200, request.url.includes('import') ? { ...answer, applied: request.url.includes('false') } : { total: 0, items: [] }))
    const calendar = useAdminCalendar({ year: 2026, month: 11 }, createApiClient({ fetch }))
    await calendar.importYear({ year: 2027, holidays: [], workdays: [] }, true)
    expect(calendar.state.preview?.year).toBe(2027)
    await calendar.importYear({ year: 2027, holidays: [], workdays: [] }, false)
    expect(calendar.state.preview).toBeNull()
    expect(fetch.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/staff/calendar/import?dry_run=true',
      'POST /api/v1/staff/calendar/import?dry_run=false',
      'GET /api/v1/staff/calendar?from=2026-11-01&to=2026-11-30',
    ])
  })
})

describe('halls and staff', () => {
  it('leaves closed weekdays out of the schedule and labels every window for assignment', () => {
    const form = scheduleForm({ weekly: { mon: [{ start: '09:00', end: '12:00', slot_minutes: 30, capacity: 3 }] }, holiday_service: [] })
    expect(form.weekly.sun).toEqual([])
    expect(Object.keys(scheduleBody(form).weekly!)).toEqual(['mon'])
    const options = windowOptions([
      { id: 1, code: 'SMZX', name: '市民中心', address: '', phone: '', groups: [{ id: 2, code: 'G', name: 'A区', prefix: 'A', office_code: 'SMZX', department_code: 'GA', item_codes: [], is_active: true, windows: [{ id: 9, number: '5', name: '户政', opens_on_holiday_service: true }] }] },
    ])
    expect(options).toEqual([{ id: 9, label: '市民中心 · A区 · 5 号窗口（户政）', department: 'GA' }])
  })
})
