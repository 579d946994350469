// 日历: a month of day kinds from GET /staff/calendar, an admin's setting of one day (PUT/DELETE
// /staff/calendar/{date}) and the import of a year's State Council schedule with a preview
// (POST /staff/calendar/import?dry_run=true, then false). The kinds and their effect are the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type CalendarDay = components['schemas']['CalendarDayOut']
export type OverrideKind = components['schemas']['CalendarOverrideIn']['kind']

export const KIND_LABELS: Record<string, string> = {
  workday: '工作日',
  makeup_workday: '调休上班',
  weekend: '周末',
  holiday: '节假日',
  holiday_service: '节假日预约服务',
  closed: '闭厅',
  unknown: '年度安排未公布',
}

export const OVERRIDE_OPTIONS: { value: OverrideKind; label: string }[] = [
  { value: 'holiday_service', label: '节假日预约服务' },
  { value: 'closed', label: '闭厅' },
  { value: 'workday', label: '调休上班' },
]

/** The kind a cell shows: the API's kind, or 年度安排未公布 for a weekday or weekend of an unknown year. */
export function cellKind(day: CalendarDay): string {
  if (!day.known && !day.override && (day.kind === 'workday' || day.kind === 'weekend')) return 'unknown'
  return day.kind
}

export interface ImportChange {
  date: string
  name: string | null
  kind_before: string
  kind_after: string
}
export interface ImportAnswer {
  year: number
  known_before: boolean
  applied: boolean
  holidays: number
  workdays: number
  changes: ImportChange[]
}

const pad = (n: number) => String(n).padStart(2, '0')
export function monthRange(year: number, month: number): { from: string; to: string } {
  const last = new Date(year, month, 0).getDate()
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` }
}

/** The weeks of a month as rows of 7 cells (周一 first); null pads the first and last week. */
export function monthGrid(year: number, month: number, days: readonly CalendarDay[]): (CalendarDay | null)[][] {
  const byDate = new Map(days.map((d) => [d.date, d]))
  const first = new Date(year, month - 1, 1)
  const lead = (first.getDay() + 6) % 7
  const count = new Date(year, month, 0).getDate()
  const cells: (CalendarDay | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= count; d++) cells.push(byDate.get(`${year}-${pad(month)}-${pad(d)}`) ?? null)
  while (cells.length % 7) cells.push(null)
  const weeks: (CalendarDay | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

export function useAdminCalendar(initial: { year: number; month: number }, api = useApi()) {
  const state = reactive({ year: initial.year, month: initial.month, days: [] as CalendarDay[], preview: null as ImportAnswer | null })
  const call = useCall()
  const importCall = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/staff/calendar', { query: monthRange(state.year, state.month) })
      state.days = data.items
    })
  }

  /** Opens on the month of the server's today (its calendar's default range starts there). */
  async function start(): Promise<void> {
    await call.run(async () => {
      const first = (await api.get('/api/v1/staff/calendar')).items[0]
      if (first) {
        state.year = Number(first.date.slice(0, 4))
        state.month = Number(first.date.slice(5, 7))
      }
    })
    await load()
  }

  function shift(by: number): Promise<void> {
    const index = state.year * 12 + (state.month - 1) + by
    state.year = Math.floor(index / 12)
    state.month = (index % 12) + 1
    return load()
  }

  async function setDay(date: string, kind: OverrideKind, note: string): Promise<boolean> {
    const done = await call.run(async () => {
      await api.put('/api/v1/staff/calendar/{date}', { path: { date }, body: { kind, note: note.trim() } })
      return true
    })
    if (done) await load()
    return Boolean(done)
  }

  async function undoDay(date: string): Promise<boolean> {
    const done = await call.run(async () => {
      await api.delete('/api/v1/staff/calendar/{date}', { path: { date } })
      return true
    })
    if (done) await load()
    return Boolean(done)
  }

  async function importYear(schedule: unknown, dryRun: boolean): Promise<ImportAnswer | undefined> {
    const answer = await importCall.run(
      async () =>
        (await api.raw('post', '/api/v1/staff/calendar/import', { query: { dry_run: dryRun }, body: schedule })) as ImportAnswer,
    )
    state.preview = dryRun ? (answer ?? null) : null
    if (answer && !dryRun) await load()
    return answer
  }

  function clearPreview() {
    state.preview = null
    importCall.errors.clear()
  }

  return {
    state,
    busy: call.busy,
    errors: call.errors,
    importBusy: importCall.busy,
    importErrors: importCall.errors,
    load,
    start,
    shift,
    setDay,
    undoDay,
    importYear,
    clearPreview,
  }
}
