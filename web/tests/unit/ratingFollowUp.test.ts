import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { followUpDetail, offeredSteps, useRatingFollowUp, type StaffRating } from '@/composables/useRatingFollowUp'
import { apiError, fakeFetch, json, type Seen } from './fakeApi'

const TODAY = '2026-11-20'
const MOVED = '该差评已回访，不能再记录回访'
/** what the API offers a GA clerk on the rating in each status (its `actions`) */
const ACTIONS = {
  open: ['reveal_contact', 'return_visit', 'appeal'],
  visited: ['reveal_contact', 'rectify', 'appeal'],
  rectified: ['reveal_contact', 'appeal'],
} as const

function rating(status: 'open' | 'visited' | 'rectified', extra: Partial<StaffRating> = {}): StaffRating {
  const visited = status === 'open' ? null : '2026-11-19T10:00:00+08:00'
  const rectified = status === 'rectified' ? '2026-11-20T09:00:00+08:00' : null
  return {
    id: 4,
    kind: 'case',
    application_id: 9,
    appointment_id: null,
    application_number: 'GA20261104000001',
    department_code: 'GA',
    department_name: '公安局',
    level: 1,
    level_text: '非常不满意',
    tags: ['态度差'],
    comment: '窗口人员态度生硬',
    automatic: false,
    created_at: '2026-11-18T15:00:00+08:00',
    rectification: {
      id: 2,
      status,
      status_text: { open: '待回访', visited: '已回访', rectified: '已整改' }[status],
      visit_due: '2026-11-19',
      rectify_due: '2026-12-09',
      visited_at: visited,
      visit_note: '',
      rectified_at: rectified,
      rectify_note: '',
      verdict: null,
      verdict_text: null,
      closed_at: null,
    },
    rectification_status: status,
    rectification_status_text: { open: '待回访', visited: '已回访', rectified: '已整改' }[status],
    visit_due: '2026-11-19',
    visited_at: visited,
    rectify_due: '2026-12-09',
    overdue: status === 'open',
    excluded: false,
    exclusion_reason: '',
    notes: [
      { at: '2026-11-18T15:00:00+08:00', actor_role: 'citizen', from_status: '', to_status: 'open', note: '' },
      ...(visited ? [{ at: visited, actor_role: 'window', from_status: 'open' as const, to_status: 'visited' as const, note: '已电话回访' }] : []),
    ],
    appeals: [],
    actions: [...ACTIONS[status]],
    ...extra,
  }
}

/** The department's API for one bad rating: the steps move it on; a colleague records the visit
 * meanwhile when `colleague` is set (this clerk's own 记录回访 is then refused). */
function server(colleague = false) {
  let status: 'open' | 'visited' | 'rectified' = 'open'
  const fetch = fakeFetch((request: Seen) => {
    const path = request.url.split('?')[0]
    if (request.method === 'GET' && path === '/api/v1/staff/ratings') {
      return json(200, { total: 1, items: [rating(status)] })
    }
    if (request.method === 'GET') return json(200, rating(status))
    if (path.endsWith('/reveal')) return json(200, { rating_id: 4, name: '张三丰', phone: '13812345678' })
    if (path.endsWith('/rectify')) {
      status = 'rectified'
      return json(200, rating(status).rectification)
    }
    if (path.endsWith('/return-visit')) {
      if (colleague) {
        status = 'visited'
        return apiError(409, 'INVALID_TRANSITION', MOVED, { from: 'visited', action: 'return_visit', allowed: ['rectify'] })
      }
      status = 'visited'
      return json(200, rating(status).rectification)
    }
    return apiError(422, 'VALIDATION_ERROR', '请求参数有误', { fields: { 'body.reason': '至少 5 个字' } })
  })
  return { fetch, api: createApiClient({ fetch }) }
}

describe('差评整改 of the handling department', () => {
  it('lists the bad ratings only, with the late deadline red', async () => {
    const { fetch, api } = server()
    const page = useRatingFollowUp(api, () => TODAY)
    await page.load()
    expect(fetch.seen[0]!.url).toBe('/api/v1/staff/ratings?bad=true&page=1&size=20')
    expect(page.state.items[0]).toMatchObject({
      number: 'GA20261104000001',
      levelText: '非常不满意',
      tags: ['态度差'],
      statusText: '待回访',
      visitOverdue: true,
      rectifyOverdue: false,
    })
    page.filter('visited')
    await Promise.resolve()
    expect(fetch.seen[1]!.url).toBe('/api/v1/staff/ratings?bad=true&status=visited&page=1&size=20')
  })

  it('offers what the API offers: the visit first, 整改 once it is recorded, nothing once rectified', async () => {
    const { fetch, api } = server()
    const page = useRatingFollowUp(api, () => TODAY)
    await page.open(4)
    expect(page.steps.value).toEqual(['return_visit'])
    expect(page.mayReveal.value).toBe(true)

    expect(await page.reveal('差评回访')).toBe(true)
    expect(page.state.contact).toEqual({ name: '张三丰', phone: '13812345678' })
    expect(page.state.notice).toContain('审计日志')

    expect(await page.step('return_visit', '已电话回访')).toBe(true)
    expect(page.state.detail).toMatchObject({ status: 'visited', statusText: '已回访', visitOverdue: false })
    expect(page.state.detail!.timeline.map((e) => [e.title, e.actor, e.note])).toEqual([
      ['差评转办', '评价人', ''],
      ['记录回访', '窗口人员', '已电话回访'],
    ])
    expect(page.steps.value).toEqual(['rectify'])
    expect(page.state.contact).not.toBeNull() // still shown for the same rating

    expect(await page.step('rectify', '已加强培训')).toBe(true)
    expect(page.state.detail?.statusText).toBe('已整改')
    expect(page.steps.value).toEqual([])
    expect(page.state.items[0]?.statusText).toBe('已整改') // the list is read again too
    const posts = fetch.seen.filter((r) => r.method === 'POST').map((r) => [r.url, r.body])
    expect(posts).toEqual([
      ['/api/v1/staff/ratings/4/reveal', { reason: '差评回访' }],
      ['/api/v1/staff/ratings/4/return-visit', { note: '已电话回访' }],
      ['/api/v1/staff/ratings/4/rectify', { note: '已加强培训' }],
    ])
  })

  it('shows a refusal as the API words it and offers what the reloaded rating allows', async () => {
    const { api } = server(true)
    const page = useRatingFollowUp(api, () => TODAY)
    await page.open(4)
    expect(await page.step('return_visit', '已电话回访')).toBe(false)
    expect(page.errors.message.value).toBe(MOVED)
    expect(page.state.detail?.statusText).toBe('已回访') // read again: a colleague recorded it
    expect(page.steps.value).toEqual(['rectify'])
  })

  it('puts a 422 message at its field, and forgets the contact when another rating opens', async () => {
    const { api } = server()
    const page = useRatingFollowUp(api, () => TODAY)
    await page.open(4)
    expect(await page.appeal('恶意')).toBe(false)
    expect(page.errors.fields.reason).toBe('至少 5 个字')
    await page.reveal('差评回访')
    expect(page.state.contact).not.toBeNull()
    page.close()
    await page.open(4)
    expect(page.state.contact).toBeNull()
  })

  it('offers no appeal while one is pending, no step once rectified', async () => {
    const pending = { id: 1, rating_id: 4, department_code: 'GA', reason: '恶意差评', status: 'pending' as const, filed_at: '2026-11-19T10:00:00+08:00', decided_at: null, decision_reason: '' }
    const answers = [rating('visited'), rating('visited', { appeals: [pending], actions: ['reveal_contact', 'rectify'] })]
    const fetch = fakeFetch(() => json(200, answers.shift()))
    const page = useRatingFollowUp(createApiClient({ fetch }), () => TODAY)
    await page.open(4)
    expect(page.mayAppeal.value).toBe(true)
    await page.open(4)
    expect(page.mayAppeal.value).toBe(false)
    expect(page.state.detail!.appeals[0]!.statusText).toBe('待审核')
    expect(offeredSteps(followUpDetail(rating('rectified'), TODAY))).toEqual([])
    expect(offeredSteps(null)).toEqual([])
  })
})
