// "网络连接已断开": the banner shows while the browser says it is offline or since a call failed for
// want of a connection, until the next call gets through (forms keep what was typed meanwhile).
import { reactive, readonly } from 'vue'
import { isApiError } from '@/api/errors'

const state = reactive({ offline: false })
let listening = false

export function noteCallResult(error?: unknown): void {
  if (error === undefined) state.offline = false
  else if (isApiError(error) && error.kind === 'network') state.offline = true
}

export function useNetwork() {
  if (!listening && typeof window !== 'undefined') {
    listening = true
    state.offline = !window.navigator.onLine
    window.addEventListener('offline', () => (state.offline = true))
    window.addEventListener('online', () => (state.offline = false))
  }
  return readonly(state)
}
