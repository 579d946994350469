// 延时服务 at the clerk's window: today's closing time, whether it has passed, how many still wait,
// the windows serving late, and the clerk's 开启/结束延时服务. Whether the hall has closed and whether
// a window may stop are the API's answers (409 LATE_QUEUE_WAITING), never decided here.
import { reactive, readonly } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type LateServiceOut = components['schemas']['LateServiceOut']

export function useLateService(api = useApi()) {
  const state = reactive({ status: null as LateServiceOut | null })
  const call = useCall()

  async function load(group: string): Promise<void> {
    const answer = await call.run(() => api.get('/api/v1/staff/late-service', { query: { group } }))
    if (answer) state.status = answer
  }

  async function change(action: 'start' | 'end'): Promise<boolean> {
    const path = action === 'start' ? '/api/v1/staff/late-service/start' : '/api/v1/staff/late-service/end'
    const answer = await call.run(() => api.post(path, { body: { window_id: null } }))
    if (answer === undefined) return false
    state.status = answer
    return true
  }

  return { state: readonly(state), busy: call.busy, errors: call.errors, load, change }
}

/** "17:30" of an ISO instant, in China time (the hall's clock). */
export function localTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  })
}
