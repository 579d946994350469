// The 电子监察 period: from/to (both included, YYYY-MM-DD) and the series' interval (week | month).
// It lives in the page's query (?from=&to=&interval=) so a link from a chart, reload or back keep it.
// Plain date arithmetic on calendar days (no time zone: the dates are the API's, Beijing dates).
export type Interval = 'week' | 'month'

export interface Period {
  from: string
  to: string
  interval: Interval
}

const ISO = /^\d{4}-\d{2}-\d{2}$/
/** the longest period the stats API takes (366 days for the ratings figures) */
export const MAX_PERIOD_DAYS = 366

function toDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d))
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO.test(value)) return false
  return toIso(toDate(value)) === value // 2026-02-30 is not a date
}

export function addDays(iso: string, days: number): string {
  const date = toDate(iso)
  date.setUTCDate(date.getUTCDate() + days)
  return toIso(date)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000)
}

/** the last day of the week (Monday..Sunday) or the month that starts at `start` */
export function bucketEnd(start: string, interval: Interval): string {
  if (interval === 'week') return addDays(start, 6)
  const date = toDate(start)
  return toIso(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)))
}

/** A bucket of a series as a list filter, kept inside the chosen period. */
export function bucketRange(start: string, period: Period): { from: string; to: string } {
  const end = bucketEnd(start, period.interval)
  return { from: start < period.from ? period.from : start, to: end > period.to ? period.to : end }
}

/** Default: the last four weeks up to today (week), or the current and five previous months (month). */
export function defaultPeriod(today: string, interval: Interval = 'week'): Period {
  if (interval === 'month') {
    const date = toDate(today)
    const from = toIso(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 5, 1)))
    return { from, to: today, interval }
  }
  return { from: addDays(today, -27), to: today, interval }
}

type QueryValue = string | null | undefined | (string | null)[]
const first = (value: QueryValue): string | undefined =>
  (Array.isArray(value) ? value[0] : value) ?? undefined

/** The period in a route query; anything missing or wrong falls back to the default (never an error page). */
export function parsePeriod(query: Record<string, QueryValue>, today: string): Period {
  const interval: Interval = first(query.interval) === 'month' ? 'month' : 'week'
  const fallback = defaultPeriod(today, interval)
  const from = first(query.from)
  const to = first(query.to)
  if (!isIsoDate(from) || !isIsoDate(to)) return fallback
  return checkPeriod({ from, to, interval }) ? fallback : { from, to, interval }
}

/** A Chinese message when the period cannot be asked for, else '' */
export function checkPeriod(period: Period): string {
  if (!isIsoDate(period.from) || !isIsoDate(period.to)) return '请选择起止日期'
  if (period.from > period.to) return '起始日期不能晚于截止日期'
  if (daysBetween(period.from, period.to) + 1 > MAX_PERIOD_DAYS) return `统计区间不能超过 ${MAX_PERIOD_DAYS} 天`
  return ''
}

export function periodQuery(period: Period): Record<string, string> {
  return { from: period.from, to: period.to, interval: period.interval }
}

/** today in Beijing (the hall's dates), as YYYY-MM-DD */
export function beijingToday(now: Date = new Date()): string {
  return toIso(new Date(now.getTime() + 8 * 3_600_000))
}
