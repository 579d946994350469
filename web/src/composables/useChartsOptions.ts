// The dashboard's charts, built from the API's figures: for each chart the ECharts option, a data table
// with the very same numbers (what people and the browser test read), and the list behind every bar,
// slice and point (click → that list filtered to the department, the warning level or the period).
import { LEVELS, LEVEL_TEXT, shown, type Dashboard, type Figures, type Point } from './useChartsData'
import { bucketRange, type Period } from './useSupervisionPeriod'

export interface ListLink {
  name: string
  query: Record<string, string>
}

export interface TableRow {
  key: string
  cells: string[]
  link: ListLink | null
}

export interface ChartSpec {
  id: string
  title: string
  option: Record<string, unknown>
  columns: string[]
  rows: TableRow[]
  /** the list behind the clicked element: ECharts' seriesId and dataIndex */
  linkFor: (seriesId: string, dataIndex: number) => ListLink | null
  empty: boolean
  /** a chart with a wide table (two grid columns on the dashboard) */
  wide?: boolean
}

const RED = '#c45656'
const YELLOW = '#e6a23c'
const GREEN = '#67c23a'
const BLUE = '#409eff'
const LEVEL_COLORS: Record<string, string> = { '5': '#2e7d32', '4': '#81c784', '3': '#b0bec5', '2': '#ffb74d', '1': '#c62828' }

const warnings = (query: Record<string, string>): ListLink => ({ name: 'supervisor-warnings', query })
const badRatings = (query: Record<string, string>): ListLink => ({ name: 'supervisor-bad-ratings', query })
const cases = (query: Record<string, string>): ListLink => ({ name: 'supervisor-cases', query })
const FINISHED = 'approved,rejected,delivered'
const OPEN = 'accepted,suspended' // what the API counts as open (在办)

const base = (extra: Record<string, unknown>): Record<string, unknown> => ({
  animation: false,
  grid: { left: 8, right: 8, top: 40, bottom: 4, containLabel: true },
  tooltip: { trigger: 'axis' },
  legend: { top: 0, type: 'scroll' },
  ...extra,
})

const categories = (names: string[]) => ({ type: 'category', data: names, axisLabel: { interval: 0 } })
/** periods on the x axis as MM-DD (the table beside keeps the full date) */
const periods = (starts: string[]) => ({ type: 'category', data: starts, axisLabel: { formatter: (v: string) => v.slice(5) } })
const percentAxis = { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }

/** department rows, then the 全中心 row (from the API's totals) */
function departmentRows(d: Dashboard, cells: (f: Figures) => string[], link: (f: Figures) => ListLink | null): TableRow[] {
  return [
    ...d.departments.map((f) => ({ key: f.code, cells: [f.name, ...cells(f)], link: link(f) })),
    { key: 'total', cells: [d.totals.name, ...cells(d.totals)], link: null },
  ]
}

function periodRows(points: Point[][], period: Period, link: (i: number, range: { from: string; to: string }) => ListLink | null): TableRow[] {
  const starts = points[0]?.map((p) => p.periodStart) ?? []
  return starts.map((start, i) => ({
    key: start,
    cells: [start, ...points.map((series) => shown(series[i]?.value))],
    link: link(i, bucketRange(start, period)),
  }))
}

function onTime(d: Dashboard): ChartSpec {
  const depts = d.departments
  const link = (f: Figures) => warnings({ department: f.code })
  return {
    id: 'on-time',
    title: '按期办结率（按部门）',
    option: base({
      xAxis: categories(depts.map((f) => f.name)),
      yAxis: percentAxis,
      series: [{ id: 'on_time_rate', name: '按期办结率 %', type: 'bar', color: GREEN, data: depts.map((f) => f.onTimeRate) }],
    }),
    columns: ['部门', '按期办结率 %'],
    rows: departmentRows(d, (f) => [shown(f.onTimeRate)], link),
    linkFor: (_, i) => (depts[i] ? link(depts[i]) : null),
    empty: depts.length === 0,
  }
}

function onTimeTrend(d: Dashboard, period: Period): ChartSpec {
  const points = d.series.on_time_rate
  const link = (range: { from: string; to: string }) => warnings({ ...range })
  return {
    id: 'on-time-trend',
    title: period.interval === 'month' ? '按期办结率（按月）' : '按期办结率（按周）',
    option: base({
      xAxis: periods(points.map((p) => p.periodStart)),
      yAxis: percentAxis,
      series: [{ id: 'on_time_rate', name: '按期办结率 %', type: 'line', color: GREEN, data: points.map((p) => p.value), connectNulls: false }],
    }),
    columns: ['周期起', '按期办结率 %'],
    rows: periodRows([points], period, (_, range) => link(range)),
    linkFor: (_, i) => (points[i] ? link(bucketRange(points[i].periodStart, period)) : null),
    empty: points.length === 0,
  }
}

function openLevels(d: Dashboard): ChartSpec {
  const t = d.totals
  const slices = [
    { id: 'red', name: '红牌', value: t.openRed, color: RED, link: warnings({ level: 'red', open_only: 'true' }) },
    { id: 'yellow', name: '黄牌', value: t.openYellow, color: YELLOW, link: warnings({ level: 'yellow', open_only: 'true' }) },
  ]
  const normal = t.open === null ? null : t.open - (t.openRed ?? 0) - (t.openYellow ?? 0)
  const all = [...slices, { id: 'none', name: '未预警', value: normal, color: BLUE, link: cases({ status: OPEN, warning: 'none' }) }]
  return {
    id: 'open-levels',
    title: '在办件预警分布',
    option: {
      animation: false,
      tooltip: { trigger: 'item' },
      legend: { top: 0 },
      series: [
        {
          id: 'open',
          name: '在办件',
          type: 'pie',
          radius: ['35%', '65%'],
          top: 24,
          label: { formatter: '{b} {c}' },
          data: all.map((s) => ({ name: s.name, value: s.value ?? 0, itemStyle: { color: s.color } })),
        },
      ],
    },
    columns: ['预警', '在办件数'],
    rows: [
      ...all.map((s) => ({ key: s.id, cells: [s.name, shown(s.value)], link: s.link })),
      { key: 'total', cells: ['合计', shown(t.open)], link: cases({ status: OPEN }) },
    ],
    linkFor: (_, i) => all[i]?.link ?? null,
    empty: t.open === null,
  }
}

function warningsPerPeriod(d: Dashboard, period: Period): ChartSpec {
  const yellow = d.series.warnings_yellow
  const red = d.series.warnings_red
  const starts = (yellow.length ? yellow : red).map((p) => p.periodStart)
  const at = (series: Point[], start: string) => series.find((p) => p.periodStart === start)?.value ?? null
  const link = (level: string | null, start: string) =>
    warnings({ ...(level ? { level } : {}), ...bucketRange(start, period) })
  return {
    id: 'warnings',
    title: period.interval === 'month' ? '黄牌、红牌预警（按月）' : '黄牌、红牌预警（按周）',
    option: base({
      xAxis: periods(starts),
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { id: 'yellow', name: '黄牌', type: 'bar', color: YELLOW, data: starts.map((s) => at(yellow, s)) },
        { id: 'red', name: '红牌', type: 'bar', color: RED, data: starts.map((s) => at(red, s)) },
      ],
    }),
    columns: ['周期起', '黄牌', '红牌'],
    rows: starts.map((start) => ({
      key: start,
      cells: [start, shown(at(yellow, start)), shown(at(red, start))],
      link: link(null, start),
    })),
    linkFor: (seriesId, i) => (starts[i] ? link(seriesId, starts[i]) : null),
    empty: starts.length === 0,
  }
}

function ratings(d: Dashboard): ChartSpec {
  const depts = d.departments
  const link = (f: Figures, level?: string) =>
    badRatings({ department: f.code, ...(level && Number(level) <= 2 ? { level } : {}) })
  return {
    id: 'ratings',
    title: '好差评（按部门）',
    option: base({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: categories(depts.map((f) => f.name)),
      yAxis: [
        { type: 'value', minInterval: 1 },
        { ...percentAxis, splitLine: { show: false } },
      ],
      series: [
        ...LEVELS.map((level) => ({
          id: `level-${level}`,
          name: LEVEL_TEXT[level],
          type: 'bar',
          stack: 'levels',
          color: LEVEL_COLORS[level],
          data: depts.map((f) => f.ratings[level] ?? null),
        })),
        { id: 'good_rate', name: '好评率 %', type: 'line', yAxisIndex: 1, color: BLUE, data: depts.map((f) => f.goodRate) },
      ],
    }),
    columns: ['部门', ...LEVELS.map((level) => LEVEL_TEXT[level]!), '好评率 %'],
    rows: departmentRows(d, (f) => [...LEVELS.map((level) => shown(f.ratings[level])), shown(f.goodRate)], (f) => link(f)),
    linkFor: (seriesId, i) => (depts[i] ? link(depts[i], seriesId.replace('level-', '')) : null),
    empty: depts.length === 0,
    wide: true,
  }
}

function onlineZeroTrip(d: Dashboard): ChartSpec {
  const depts = d.departments
  const link = (f: Figures) => cases({ department: f.code })
  return {
    id: 'online',
    title: '网办率与零跑动率（按部门）',
    option: base({
      xAxis: categories(depts.map((f) => f.name)),
      yAxis: percentAxis,
      series: [
        { id: 'online_rate', name: '网办率 %', type: 'bar', color: BLUE, data: depts.map((f) => f.onlineRate) },
        { id: 'zero_trip_rate', name: '零跑动率 %', type: 'bar', color: GREEN, data: depts.map((f) => f.zeroTripRate) },
      ],
    }),
    columns: ['部门', '网办率 %', '零跑动率 %'],
    rows: departmentRows(d, (f) => [shown(f.onlineRate), shown(f.zeroTripRate)], link),
    linkFor: (_, i) => (depts[i] ? link(depts[i]) : null),
    empty: depts.length === 0,
  }
}

function workingDays(d: Dashboard): ChartSpec {
  const depts = d.departments
  const link = (f: Figures) => cases({ department: f.code, status: FINISHED })
  return {
    id: 'working-days',
    title: '平均办结用时（工作日）',
    option: base({
      xAxis: categories(depts.map((f) => f.name)),
      yAxis: { type: 'value' },
      series: [{ id: 'avg_working_days', name: '平均工作日', type: 'bar', color: '#b71c1c', data: depts.map((f) => f.avgWorkingDays) }],
    }),
    columns: ['部门', '平均工作日'],
    rows: departmentRows(d, (f) => [shown(f.avgWorkingDays)], link),
    linkFor: (_, i) => (depts[i] ? link(depts[i]) : null),
    empty: depts.length === 0,
  }
}

/** every chart of the dashboard, in page order */
export function buildCharts(d: Dashboard, period: Period): ChartSpec[] {
  return [onTime(d), onTimeTrend(d, period), openLevels(d), warningsPerPeriod(d, period), ratings(d), onlineZeroTrip(d), workingDays(d)]
}
