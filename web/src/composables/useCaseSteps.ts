// 电子监察 per step on the staff case page: GET /staff/applications/{id}/steps (the guide's steps, each
// limit and holder, the current step, the department's possible holders and what this clerk may do),
// 完成本环节 (POST …/steps/complete, naming the next holder) and 转交 (PUT …/steps/current/holder).
// Who may do what, the limits and the warning colours are all the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type CaseSteps = components['schemas']['CaseSteps']
export type CaseStepView = components['schemas']['CaseStepView']

export function useCaseSteps(caseId: () => number, api = useApi()) {
  const state = reactive({ data: null as CaseSteps | null })
  const list = useCall()
  const action = useCall()

  async function load(): Promise<void> {
    const data = await list.run(() => api.get('/api/v1/staff/applications/{id}/steps', { path: { id: caseId() } }))
    if (data) state.data = data
  }

  /** true when done (the steps are the answer's); false when refused (message and fields in `action.errors`). */
  async function complete(nextHolderId: number | null, note: string): Promise<boolean> {
    const body = { note, next_holder_id: nextHolderId }
    const data = await action.run(() =>
      api.post('/api/v1/staff/applications/{id}/steps/complete', { path: { id: caseId() }, body }),
    )
    if (data === undefined) return false
    state.data = data
    return true
  }

  async function reassign(userId: number, reason: string): Promise<boolean> {
    const data = await action.run(() =>
      api.put('/api/v1/staff/applications/{id}/steps/current/holder', {
        path: { id: caseId() },
        body: { user_id: userId, reason },
      }),
    )
    if (data === undefined) return false
    state.data = data
    return true
  }

  return { state, list, action, load, complete, reassign }
}

export const WARNING_TAG: Record<string, 'warning' | 'danger' | 'info' | 'success'> = {
  yellow: 'warning',
  red: 'danger',
}
export const WARNING_TEXT: Record<string, string> = { yellow: '黄灯', red: '红灯' }
