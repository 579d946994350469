// The dashboard's answer (GET /staff/stats/dashboard), read defensively: a figure the server does not
// send is null (shown as —), never guessed. Rates are the API's percents (0–100), untouched.
import type { Interval } from './useSupervisionPeriod'

type Raw = Record<string, unknown>
const obj = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {})
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const str = (value: unknown): string => (typeof value === 'string' ? value : '')

export const LEVELS = ['5', '4', '3', '2', '1'] as const
export const LEVEL_TEXT: Record<string, string> = {
  '5': '非常满意',
  '4': '满意',
  '3': '基本满意',
  '2': '不满意',
  '1': '非常不满意',
}

export interface Figures {
  code: string
  name: string
  onTimeRate: number | null
  goodRate: number | null
  onlineRate: number | null
  zeroTripRate: number | null
  avgWorkingDays: number | null
  open: number | null
  openYellow: number | null
  openRed: number | null
  ratings: Record<string, number | null>
}

export interface Point {
  periodStart: string
  value: number | null
}

export const SERIES_METRICS = [
  'on_time_rate',
  'good_rate',
  'satisfaction',
  'online_rate',
  'zero_trip_rate',
  'avg_working_days',
  'finished',
  'open_yellow',
  'open_red',
  'warnings_yellow',
  'warnings_red',
] as const
export type Metric = (typeof SERIES_METRICS)[number]

export interface Dashboard {
  from: string
  to: string
  interval: Interval
  departments: Figures[]
  totals: Figures
  series: Record<Metric, Point[]>
}

function figures(raw: unknown): Figures {
  const r = obj(raw)
  const ratings = obj(r.ratings)
  return {
    code: str(r.code) || str(r.department_code),
    name: str(r.name) || str(r.department_name) || str(r.code),
    onTimeRate: num(r.on_time_rate),
    goodRate: num(r.good_rate),
    onlineRate: num(r.online_rate),
    zeroTripRate: num(r.zero_trip_rate),
    avgWorkingDays: num(r.avg_working_days),
    open: num(r.open),
    openYellow: num(r.open_yellow),
    openRed: num(r.open_red),
    ratings: Object.fromEntries(LEVELS.map((level) => [level, num(ratings[level])])),
  }
}

function points(raw: unknown): Point[] {
  if (!Array.isArray(raw)) return []
  return raw.map((p) => ({ periodStart: str(obj(p).period_start), value: num(obj(p).value) }))
}

export function dashboard(raw: unknown): Dashboard {
  const r = obj(raw)
  const period = obj(r.period)
  const series = obj(r.series)
  return {
    from: str(period.from),
    to: str(period.to),
    interval: r.interval === 'month' ? 'month' : 'week',
    departments: Array.isArray(r.departments) ? r.departments.map(figures) : [],
    totals: { ...figures(r.totals), code: '', name: '全中心' },
    series: Object.fromEntries(SERIES_METRICS.map((metric) => [metric, points(series[metric])])) as Record<
      Metric,
      Point[]
    >,
  }
}

/** a figure as the tables show it: the API's number as it came, — when there is none */
export function shown(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : String(value)
}
