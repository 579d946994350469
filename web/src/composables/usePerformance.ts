// 效能考评 for supervisors: a month's ranking per level (GET /staff/performance/{month}?level=), computing
// a month, the cases behind a score, and the weighting. Every score, rank, 红榜/黑榜 mark and refusal is
// the server's; this only carries them to the view.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type Ranking = components['schemas']['Ranking']
export type Level = Ranking['level']
export type RankedRow = components['schemas']['RankedRow']
export type ScoreCase = components['schemas']['ScoreCase']
export type Weights = components['schemas']['Weights']
export type WeightName = keyof Weights

export const LEVELS: readonly { value: Level; label: string }[] = [
  { value: 'department', label: '部门' },
  { value: 'window', label: '窗口' },
  { value: 'staff', label: '工作人员' },
]
export const BOARD_LABELS: Record<string, string> = { red: '红榜', black: '黑榜' }
export const WEIGHT_NAMES: readonly WeightName[] = ['on_time', 'warnings', 'steps_overdue', 'rating', 'complaints']
export const WEIGHT_LABELS: Record<WeightName, string> = {
  on_time: '按期办结',
  warnings: '预警',
  steps_overdue: '环节超期',
  rating: '好差评',
  complaints: '投诉',
}
const CASES_PAGE = 10

/** The month before the one of `today` (YYYY-MM-DD): the picker's first month (the server says what may be computed). */
export function previousMonth(today: string): string {
  const [year, month] = today.split('-').map(Number) as [number, number]
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`
}

export function usePerformance(api = useApi()) {
  const state = reactive({
    month: '',
    level: 'department' as Level,
    ranking: null as Ranking | null,
    notComputed: '', // the server's words when the month has no scores yet
    selected: null as RankedRow | null, // the row whose cases are open
  })
  const list = useCall()
  const computing = useCall()

  async function load(): Promise<void> {
    state.notComputed = ''
    const answer = await list.run(() =>
      api.get('/api/v1/staff/performance/{month}', { path: { month: state.month }, query: { level: state.level } }),
    )
    state.ranking = answer ?? null
    if (!answer && list.errors.code.value === 'MONTH_NOT_COMPUTED') {
      state.notComputed = list.errors.message.value
      list.errors.clear()
    }
  }

  /** true when computed (the ranking reloaded); the refusal (e.g. the month not over) in `computing.errors`. */
  async function compute(): Promise<boolean> {
    const done = await computing.run(() =>
      api.post('/api/v1/staff/performance/{month}/compute', { path: { month: state.month } }),
    )
    if (done === undefined) return false
    await load()
    return true
  }

  return { state, list, computing, load, compute }
}

/** The cases behind one score, a page at a time. */
export function useScoreCases(api = useApi()) {
  const state = reactive({ items: [] as ScoreCase[], total: 0, page: 1 })
  const call = useCall()

  async function open(month: string, level: Level, key: string, page = 1): Promise<void> {
    state.page = page
    const answer = await call.run(() =>
      api.get('/api/v1/staff/performance/{month}/{level}/{key}/cases', {
        path: { month, level, key },
        query: { page, size: CASES_PAGE },
      }),
    )
    state.items = answer?.items ?? []
    state.total = answer?.total ?? 0
  }

  return { state, call, open, size: CASES_PAGE }
}

export function useWeights(api = useApi()) {
  const state = reactive({
    weights: null as Weights | null,
    defaults: null as Weights | null,
    updatedAt: null as string | null,
  })
  const call = useCall()

  async function load(): Promise<void> {
    const answer = await call.run(() => api.get('/api/v1/staff/performance/weights'))
    if (answer) Object.assign(state, { weights: answer.weights, defaults: answer.defaults, updatedAt: answer.updated_at })
  }

  /** true when saved; the server's refusal (合计须为 100 …) in `call.errors`. */
  async function save(values: Weights): Promise<boolean> {
    const answer = await call.run(() => api.put('/api/v1/staff/performance/weights', { body: values }))
    if (!answer) return false
    Object.assign(state, { weights: answer.weights, defaults: answer.defaults, updatedAt: answer.updated_at })
    return true
  }

  return { state, call, load, save }
}
