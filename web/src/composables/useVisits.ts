// 上门服务 for the department's clerks: the requests (GET /staff/visits), confirming a declared
// disability or illness, scheduling (a day, a window of time, the staff going), refusing, and
// recording the outcome. Which actions a visit allows is the API's (`actions`).
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type VisitOut = components['schemas']['VisitOut']
export type VisitAction = 'confirm' | 'refuse' | 'schedule' | 'record'

export const ACTION_LABELS: Record<VisitAction, string> = {
  confirm: '确认资格',
  refuse: '驳回',
  schedule: '安排上门',
  record: '登记结果',
}

export const REASON_TEXT: Record<string, string> = { age: '年满70周岁', disability: '残疾', illness: '重病' }
export const OUTCOME_TEXT: Record<string, string> = {
  accepted_on_site: '现场受理',
  materials_taken: '收取材料带回',
  not_home: '未遇',
}

export function useVisits(api = useApi()) {
  const state = reactive({ items: [] as VisitOut[], total: 0, status: '' })
  const list = useCall()
  const action = useCall()

  async function load(): Promise<void> {
    const query = state.status ? { status: state.status as VisitOut['status'] } : {}
    const page = await list.run(() => api.get('/api/v1/staff/visits', { query: { ...query, size: 50 } }))
    if (page) {
      state.items = page.items
      state.total = page.total
    }
  }

  /** true when done (the list reloaded); false when refused (the message and fields in `action.errors`). */
  async function act(id: number, name: VisitAction, body: Record<string, unknown> = {}): Promise<boolean> {
    const done = await action.run(() =>
      api.raw('post', `/api/v1/staff/visits/{id}/${name}`, { path: { id }, body }),
    )
    if (done === undefined) return false
    await load()
    return true
  }

  return { state, list, action, load, act }
}
