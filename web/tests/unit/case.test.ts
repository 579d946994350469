import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { caseDetail, caseRow } from '@/api/staff'
import { CONFLICT_MESSAGE, useCase } from '@/composables/useCase'
import { inboxParams } from '@/composables/useInbox'
import { apiError, fakeFetch, json } from './fakeApi'

const DETAIL = (status: string, deadline: string | null, actions: string[]) => ({
  id: 9,
  number: 'GA20261116000001',
  item: { code: 'GA-HJ-001', name: '户口迁移' },
  item_version: { id: 3, version: 2 },
  status,
  status_text: status === 'accepted' ? '已受理，办理中' : '已提交，待受理',
  deadline,
  warning: 'none',
  working_days_left: deadline ? 5 : null,
  applicant: { name: '王*明', id_number: '110***********1239', phone: '138****5678' },
  materials: [
    {
      material_id: 11,
      name: '户口簿',
      requirement: 'required',
      form: '原件',
      copies: 1,
      note: '',
      missing: false,
      due: null,
      files: [
        { upload_id: 5, filename: 'old.pdf', content_type: 'application/pdf', size: 10, replaced: true, preview_url: '/p/5' },
        { upload_id: 6, filename: 'new.pdf', content_type: 'application/pdf', size: 10, replaced: false, preview_url: '/p/6' },
      ],
    },
  ],
  timeline: [{ status: 'submitted', status_text: '已提交', at: '2026-11-16T09:00:00+08:00', note: '', actor: { role: 'citizen', name: '申请人' } }],
  allowed_actions: actions,
  staff_actions: ['accept'],
  missing: [],
})

function server(answers: { accept: () => Response }) {
  let status = 'submitted'
  const fetch = fakeFetch((request) => {
    if (request.method === 'GET') {
      return json(200, DETAIL(status, status === 'accepted' ? '2026-11-24' : null, status === 'accepted' ? ['suspend'] : ['accept', 'not_accept']))
    }
    const answer = answers.accept()
    if (answer.ok) status = 'accepted'
    return answer
  })
  return { fetch, api: createApiClient({ fetch }), setStatus: (next: string) => (status = next) }
}

describe('the staff case page', () => {
  it('reads the buttons from allowed_actions and the materials table with its files', () => {
    const detail = caseDetail(DETAIL('submitted', null, ['accept', 'request_supplement', 'unknown_action']))
    expect(detail.actions).toEqual(['accept', 'request_supplement'])
    expect(detail.itemVersion).toBe('指南第 2 版')
    expect(detail.materials[0]).toMatchObject({ id: 11, requirement: '必需', form: '原件', copies: 1 })
    expect(detail.materials[0]!.files.map((f) => [f.id, f.replaced, f.previewUrl])).toEqual([
      [5, true, '/p/5'],
      [6, false, '/p/6'],
    ])
    expect(detail.timeline[0]!.actor).toBe('申请人')
  })

  it('after an action reloads the case, so the new status, deadline and buttons show', async () => {
    const { fetch, api } = server({ accept: () => json(200, { id: 9, status: 'accepted' }) })
    const page = useCase(() => 9, api)
    await page.load()
    expect(page.state.detail?.actions).toEqual(['accept', 'not_accept'])
    expect(await page.act('accept')).toBe(true)
    expect(fetch.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/staff/applications/9',
      'POST /api/v1/staff/applications/9/accept',
      'GET /api/v1/staff/applications/9',
    ])
    expect(page.state.detail).toMatchObject({ status: 'accepted', deadline: '2026-11-24', actions: ['suspend'] })
  })

  it('on 409 says the case changed meanwhile and reloads it', async () => {
    const { api, setStatus } = server({
      accept: () => {
        setStatus('accepted') // someone else accepted it first
        return apiError(409, 'INVALID_TRANSITION', '当前状态不能受理')
      },
    })
    const page = useCase(() => 9, api)
    await page.load()
    expect(await page.act('accept')).toBe(true)
    expect(page.state.notice).toContain(CONFLICT_MESSAGE)
    expect(page.state.notice).toContain('当前状态不能受理')
    expect(page.state.detail?.status).toBe('accepted')
  })

  it('on 422 puts the message at the field and keeps the dialog open', async () => {
    const { api } = server({
      accept: () => apiError(422, 'VALIDATION_ERROR', '请求参数有误', { fields: { 'body.reason': '请填写理由' } }),
    })
    const page = useCase(() => 9, api)
    await page.load()
    expect(await page.act('not_accept', { reason: '' })).toBe(false)
    expect(page.errors.fields.reason).toBe('请填写理由')
    expect(page.state.detail?.status).toBe('submitted')
  })

  it('on a lost connection says so and changes nothing', async () => {
    const { api } = server({
      accept: () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const page = useCase(() => 9, api)
    await page.load()
    expect(await page.act('accept')).toBe(false)
    expect(page.errors.message.value).toBe('网络连接已断开')
  })
})

describe('the inbox query', () => {
  it('sends q, several statuses comma-separated and the deadline order', () => {
    expect(inboxParams({ q: ' 000001 ', statuses: ['accepted', 'suspended'], warning: '', page: 2, size: 20 })).toEqual({
      q: '000001',
      status: 'accepted,suspended',
      sort: 'deadline',
      page: 2,
      size: 20,
    })
  })

  it("shows the API's working days left and masked name as they come", () => {
    const row = caseRow({ id: 1, number: 'N1', item: { name: '户口迁移' }, status: 'accepted', status_text: '已受理', applicant_name: '王**', deadline: '2026-11-24', warning: 'yellow', working_days_left: 2 })
    expect(row).toMatchObject({ applicantName: '王**', workingDaysLeft: 2, warning: 'yellow', itemName: '户口迁移' })
  })
})
