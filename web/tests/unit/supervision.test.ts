// 电子监察 composables: the period (defaults, the address query, buckets for a chart's link), the
// dashboard answer read defensively, and the charts built from it (the same figures in option and table).
import { describe, expect, it } from 'vitest'
import { dashboard, shown } from '@/composables/useChartsData'
import { buildCharts } from '@/composables/useChartsOptions'
import { badRatingRow, listQuery, warningRow } from '@/composables/useSupervision'
import {
  beijingToday,
  bucketEnd,
  bucketRange,
  checkPeriod,
  defaultPeriod,
  parsePeriod,
  periodQuery,
} from '@/composables/useSupervisionPeriod'

const ANSWER = {
  period: { from: '2026-10-01', to: '2026-10-31' },
  interval: 'week',
  departments: [
    { code: 'GA', name: '公安局', on_time_rate: 66.7, good_rate: 50, online_rate: 100, zero_trip_rate: 33.3, avg_working_days: 4.5, open: 3, open_yellow: 1, open_red: 2, ratings: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 0 } },
    { code: 'RS', name: '人社局', on_time_rate: null, good_rate: null, online_rate: 0, zero_trip_rate: 0, avg_working_days: null, open: 0, open_yellow: 0, open_red: 0, ratings: {} },
  ],
  totals: { on_time_rate: 66.7, good_rate: 50, online_rate: 80, zero_trip_rate: 20, avg_working_days: 4.5, open: 3, open_yellow: 1, open_red: 2, ratings: { '1': 1, '4': 1 } },
  series: {
    on_time_rate: [{ period_start: '2026-09-28', value: 100 }, { period_start: '2026-10-05', value: null }],
    warnings_yellow: [{ period_start: '2026-09-28', value: 1 }, { period_start: '2026-10-05', value: 0 }],
    warnings_red: [{ period_start: '2026-09-28', value: 0 }, { period_start: '2026-10-05', value: 2 }],
  },
}
const PERIOD = { from: '2026-10-01', to: '2026-10-31', interval: 'week' as const }

describe('the period', () => {
  it('defaults to the last four weeks, or six months by month', () => {
    expect(defaultPeriod('2026-10-31')).toEqual({ from: '2026-10-04', to: '2026-10-31', interval: 'week' })
    expect(defaultPeriod('2026-03-15', 'month')).toEqual({ from: '2025-10-01', to: '2026-03-15', interval: 'month' })
  })

  it('reads the address query and falls back on anything wrong', () => {
    expect(parsePeriod({ from: '2026-10-01', to: '2026-10-31', interval: 'month' }, '2026-11-02')).toEqual({
      ...PERIOD,
      interval: 'month',
    })
    const fallback = defaultPeriod('2026-11-02')
    expect(parsePeriod({}, '2026-11-02')).toEqual(fallback)
    expect(parsePeriod({ from: '2026-02-30', to: '2026-03-01' }, '2026-11-02')).toEqual(fallback)
    expect(parsePeriod({ from: '2026-10-31', to: '2026-10-01' }, '2026-11-02')).toEqual(fallback)
    expect(parsePeriod({ from: '2024-01-01', to: '2026-01-01' }, '2026-11-02')).toEqual(fallback)
    expect(periodQuery(PERIOD)).toEqual({ from: '2026-10-01', to: '2026-10-31', interval: 'week' })
  })

  it('says in Chinese why a period cannot be asked for', () => {
    expect(checkPeriod(PERIOD)).toBe('')
    expect(checkPeriod({ ...PERIOD, from: '2026-11-01' })).toBe('起始日期不能晚于截止日期')
    expect(checkPeriod({ ...PERIOD, from: '2025-01-01' })).toMatch(/不能超过 366 天/)
    expect(checkPeriod({ ...PERIOD, from: '' })).toBe('请选择起止日期')
  })

  it('turns a series bucket into a list filter inside the period', () => {
    expect(bucketEnd('2026-10-05', 'week')).toBe('2026-10-11')
    expect(bucketEnd('2026-02-01', 'month')).toBe('2026-02-28')
    expect(bucketEnd('2028-02-01', 'month')).toBe('2028-02-29')
    expect(bucketRange('2026-09-28', PERIOD)).toEqual({ from: '2026-10-01', to: '2026-10-04' })
    expect(bucketRange('2026-10-26', PERIOD)).toEqual({ from: '2026-10-26', to: '2026-10-31' })
  })

  it('knows today in Beijing', () => {
    expect(beijingToday(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11-01')
    expect(beijingToday(new Date('2026-10-31T15:59:00Z'))).toBe('2026-10-31')
  })
})

describe('the charts', () => {
  const data = dashboard(ANSWER)
  const charts = buildCharts(data, PERIOD)
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]))

  it('reads the answer without guessing a missing figure', () => {
    expect(data.departments.map((d) => d.code)).toEqual(['GA', 'RS'])
    expect(data.departments[1]!.onTimeRate).toBeNull()
    expect(data.departments[1]!.ratings['5']).toBeNull()
    expect(data.series.finished).toEqual([])
    expect(shown(null)).toBe('—')
    expect(shown(66.7)).toBe('66.7')
    expect(dashboard(null).departments).toEqual([])
  })

  it('draws every chart the issue asks for', () => {
    expect(charts.map((c) => c.id)).toEqual(['on-time', 'on-time-trend', 'open-levels', 'warnings', 'ratings', 'online', 'working-days'])
    expect(charts.every((c) => !c.empty)).toBe(true)
  })

  it('puts the same numbers in the option and in the table', () => {
    const onTime = byId['on-time']!
    const series = onTime.option.series as { data: unknown[] }[]
    expect(series[0]!.data).toEqual([66.7, null])
    expect(onTime.rows.map((r) => r.cells)).toEqual([['公安局', '66.7'], ['人社局', '—'], ['全中心', '66.7']])
    const ratings = byId.ratings!
    expect(ratings.columns).toEqual(['部门', '非常满意', '满意', '基本满意', '不满意', '非常不满意', '好评率 %'])
    expect(ratings.rows[0]!.cells).toEqual(['公安局', '0', '1', '0', '0', '1', '50'])
    const warnings = byId.warnings!
    expect(warnings.rows.map((r) => r.cells)).toEqual([['2026-09-28', '1', '0'], ['2026-10-05', '0', '2']])
    const pie = byId['open-levels']!
    expect(pie.rows.map((r) => r.cells)).toEqual([['红牌', '2'], ['黄牌', '1'], ['未预警', '0'], ['合计', '3']])
  })

  it('links every bar, slice and point to the list behind it', () => {
    expect(byId['on-time']!.linkFor('on_time_rate', 1)).toEqual({ name: 'supervisor-warnings', query: { department: 'RS' } })
    expect(byId['on-time-trend']!.linkFor('on_time_rate', 0)).toEqual({
      name: 'supervisor-warnings',
      query: { from: '2026-10-01', to: '2026-10-04' },
    })
    expect(byId['open-levels']!.linkFor('open', 0)).toEqual({ name: 'supervisor-warnings', query: { level: 'red', open_only: 'true' } })
    expect(byId.warnings!.linkFor('red', 1)).toEqual({
      name: 'supervisor-warnings',
      query: { level: 'red', from: '2026-10-05', to: '2026-10-11' },
    })
    expect(byId.ratings!.linkFor('level-1', 0)).toEqual({ name: 'supervisor-bad-ratings', query: { department: 'GA', level: '1' } })
    expect(byId.online!.linkFor('online_rate', 0)).toEqual({ name: 'supervisor-cases', query: { department: 'GA' } })
    expect(byId['working-days']!.linkFor('avg_working_days', 0)?.query.status).toBe('approved,rejected,delivered')
    expect(byId['on-time']!.linkFor('on_time_rate', 9)).toBeNull()
  })

  it('says when a period has no data', () => {
    const empty = buildCharts(dashboard({ period: PERIOD, departments: [], totals: {}, series: {} }), PERIOD)
    expect(empty.every((c) => c.empty)).toBe(true)
  })
})

describe('the lists', () => {
  it('reads a warning with its department and days overdue', () => {
    const row = warningRow({ id: 1, level: 'red', case_id: 9, number: 'N1', department_code: 'GA', department_name: '公安局', days_overdue: 3 })
    expect([row.caseId, row.departmentName, row.daysOverdue]).toEqual([9, '公安局', 3])
  })

  it('marks the bad rating deadline that passed with its step not done', () => {
    const late = badRatingRow({ id: 1, rectification: { visit_due: '2026-10-05', rectify_due: '2026-10-20', visited_at: null } }, '2026-10-10')
    expect([late.overdue, late.visitOverdue, late.rectifyOverdue]).toEqual([true, true, false])
    const visited = badRatingRow({ id: 2, visit_due: '2026-10-05', visited_at: '2026-10-04T10:00:00+08:00', rectify_due: '2026-10-20', overdue: false }, '2026-10-10')
    expect([visited.overdue, visited.visitOverdue]).toEqual([false, false])
  })

  it('sends only the filters that are set', () => {
    expect(listQuery({ department: 'GA', level: '', from: ' ' }, 2, 20)).toEqual({ page: 2, size: 20, department: 'GA' })
  })
})
