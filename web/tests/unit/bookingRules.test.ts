import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { drawBody, drawStatus, localTime, ruleText, useAdminBookingRules } from '@/composables/useAdminBookingRules'
import { apiError, fakeFetch, json, type Seen } from './fakeApi'

const OFFICES = [
  {
    code: 'SMZX',
    name: '市民中心',
    address: '',
    phone: '',
    groups: [
      { id: 3, code: 'G-A', name: 'A区窗口', prefix: 'A', department_code: 'GA', item_codes: ['GA-1', 'GA-2'], windows: [], is_active: true },
    ],
  },
]
const DRAW = {
  id: 9,
  date: '2026-11-19',
  office: '市民中心',
  window_group: 'A区窗口',
  item_code: null,
  status: 'open',
  registration_opens_at: '2026-11-16T10:00:00+08:00',
  registration_closes_at: '2026-11-17T18:00:00+08:00',
  draw_at: '2026-11-18T09:00:00+08:00',
  seed_hash: 'ab'.repeat(32),
  seed: null,
  entries_digest: null,
  entries: 0,
  places: null,
  winners: 0,
  drawn_at: null,
  algorithm: 'x',
}

function api(handler: (r: Seen) => Response | undefined) {
  const rules: object[] = []
  const draws: object[] = []
  const fetch = fakeFetch((request) => {
    const answer = handler(request)
    if (answer) return answer
    if (request.url === '/api/v1/staff/offices') return json(200, OFFICES)
    if (request.url.startsWith('/api/v1/staff/window-groups/3/release-rules')) {
      if (request.method === 'PUT') rules.splice(0, rules.length, { group: 'G-A', ...(request.body as object) })
      if (request.method === 'DELETE') rules.splice(0)
      return json(200, rules)
    }
    if (request.url === '/api/v1/staff/appointments/lottery-draws' && request.method === 'POST') {
      draws.push(DRAW)
      return json(201, { ...DRAW, registrations: 0 })
    }
    if (request.url === '/api/v1/staff/appointments/lottery-draws') return json(200, draws)
    return json(404, {})
  })
  return { fetch, rules: useAdminBookingRules(createApiClient({ fetch })) }
}

describe('the release rules and lottery days page', () => {
  it('says a rule and a time as the hall reads them', () => {
    expect(ruleText({ days_before: 3, at: '08:00' })).toBe('提前 3 天 08:00 放号')
    expect(ruleText({ days_before: 0, at: '20:00' })).toBe('当天 20:00 放号')
    expect(localTime('2026-11-16T10:00:00+08:00')).toBe('2026-11-16 10:00')
    expect(localTime(null)).toBe('—')
    expect(drawStatus('drawn').label).toBe('已开奖')
    expect(drawStatus('later').label).toBe('later')
  })

  it('loads each group with its rules, sets one, then removes it', async () => {
    const { fetch, rules } = api(() => undefined)
    await rules.load()
    expect(rules.state.groups).toEqual([{ id: 3, code: 'G-A', name: 'A区窗口', office: '市民中心', itemCodes: ['GA-1', 'GA-2'] }])
    expect(rules.state.rules[3]).toEqual([])
    const group = rules.state.groups[0]!
    expect(await rules.saveRule(group, { item_code: 'GA-2', days_before: 7, at: '20:00' })).toBe(true)
    expect(fetch.seen.at(-1)).toMatchObject({ method: 'PUT', body: { item_code: 'GA-2', days_before: 7, at: '20:00' } })
    expect(rules.state.rules[3]).toHaveLength(1)
    expect(rules.state.notice).toBe('已保存A区窗口（GA-2）的放号规则：提前 7 天 20:00 放号')
    expect(await rules.removeRule(group, 'GA-2')).toBe(true)
    expect(fetch.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/v1/staff/window-groups/3/release-rules?item_code=GA-2' })
    expect(rules.state.rules[3]).toEqual([])
  })

  it('shows a refused time at its field and keeps the form', async () => {
    const { rules } = api((request) =>
      request.method === 'PUT'
        ? apiError(422, 'VALIDATION_ERROR', '请求参数不正确', { fields: { 'body.at': '时间格式应为 HH:MM' } })
        : undefined,
    )
    await rules.load()
    expect(await rules.saveRule(rules.state.groups[0]!, { item_code: null, days_before: 1, at: '8点' })).toBe(false)
    expect(rules.formErrors.fields.at).toBe('时间格式应为 HH:MM')
    expect(rules.state.notice).toBe('')
  })

  it('creates a lottery day for the whole group and lists it', async () => {
    const { fetch, rules } = api(() => undefined)
    await rules.load()
    const form = {
      group_code: 'G-A',
      item_code: '',
      date: '2026-11-19',
      registration_opens_at: '2026-11-16T10:00:00+08:00',
      registration_closes_at: '2026-11-17T18:00:00+08:00',
      draw_at: '2026-11-18T09:00:00+08:00',
    }
    expect(drawBody(form).item_code).toBeNull()
    expect(await rules.createDraw(form)).toBe(true)
    const posted = fetch.seen.find((r) => r.method === 'POST')
    expect(posted?.body).toEqual({ ...form, item_code: null })
    expect(rules.state.draws.map((d) => d.id)).toEqual([9])
    expect(rules.state.notice).toBe('已设置 2026-11-19 为摇号日（A区窗口）')
  })

  it('shows the API refusal of a closed day as it is', async () => {
    const { rules } = api((request) =>
      request.method === 'POST' ? apiError(409, 'DAY_CLOSED', '该日不办公，不能摇号') : undefined,
    )
    await rules.load()
    const ok = await rules.createDraw({
      group_code: 'G-A',
      item_code: 'GA-1',
      date: '2026-11-21',
      registration_opens_at: '2026-11-16T10:00:00+08:00',
      registration_closes_at: '2026-11-17T18:00:00+08:00',
      draw_at: '2026-11-18T09:00:00+08:00',
    })
    expect(ok).toBe(false)
    expect(rules.formErrors.message.value).toBe('该日不办公，不能摇号')
    expect(rules.state.draws).toEqual([])
  })
})
