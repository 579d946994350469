// 效能考评 composables: the picker's first month, a month with no scores shown in the server's words, the
// cases behind a score asked by level and key, and the weighting's refusal kept as the server worded it.
import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { previousMonth, usePerformance, useScoreCases, useWeights } from '@/composables/usePerformance'
import { apiError, fakeFetch, json } from './fakeApi'

const NOT_COMPUTED = '2026-10 的效能考评尚未计算'
const NOT_100 = '五项权重合计须为 100，现为 90'
const WEIGHTS = { on_time: 40, warnings: 10, steps_overdue: 10, rating: 30, complaints: 10 }

describe('the month picker', () => {
  it('starts on the month before today', () => {
    expect(previousMonth('2026-11-02')).toBe('2026-10')
    expect(previousMonth('2027-01-01')).toBe('2026-12')
  })
})

describe('the ranking', () => {
  it('shows a month not computed yet in the server words, not as an error', async () => {
    const fetch = fakeFetch(() => apiError(404, 'MONTH_NOT_COMPUTED', NOT_COMPUTED, { month: '2026-10' }))
    const perf = usePerformance(createApiClient({ fetch }))
    perf.state.month = '2026-10'
    perf.state.level = 'staff'
    await perf.load()
    expect(fetch.seen[0]!.url).toBe('/api/v1/staff/performance/2026-10?level=staff')
    expect(perf.state.notComputed).toBe(NOT_COMPUTED)
    expect(perf.list.errors.message.value).toBe('')
  })

  it('asks for the cases behind a score by month, level and key', async () => {
    const fetch = fakeFetch(() => json(200, { total: 11, items: [{ case_id: 7, number: 'GA2026100800001' }] }))
    const cases = useScoreCases(createApiClient({ fetch }))
    await cases.open('2026-10', 'department', 'GA', 2)
    expect(fetch.seen[0]!.url).toBe('/api/v1/staff/performance/2026-10/department/GA/cases?page=2&size=10')
    expect([cases.state.total, cases.state.page, cases.state.items.length]).toEqual([11, 2, 1])
  })
})

describe('the weighting', () => {
  it('keeps the server refusal as worded and the weights unchanged', async () => {
    let put = false
    const fetch = fakeFetch((request) => {
      if (request.method === 'PUT') {
        put = true
        return apiError(422, 'WEIGHTS_NOT_100', NOT_100, { sum: 90 })
      }
      return json(200, { weights: WEIGHTS, defaults: WEIGHTS, updated_at: null })
    })
    const weights = useWeights(createApiClient({ fetch }))
    await weights.load()
    expect(await weights.save({ ...WEIGHTS, rating: 20 })).toBe(false)
    expect(put).toBe(true)
    expect(weights.call.errors.message.value).toBe(NOT_100)
    expect(weights.state.weights).toEqual(WEIGHTS)
  })
})
