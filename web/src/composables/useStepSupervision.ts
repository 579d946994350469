// 电子监察 per step for the dashboard: the open steps in warning (GET /staff/supervision/step-warnings,
// by level and department) and the time spent per step and per post (GET /staff/stats/steps) over the
// dashboard's period. The scope (own department, or the centre for supervisors) is the API's.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type StepWarningView = components['schemas']['StepWarningView']
export type StepStats = components['schemas']['StepStats']
export type StepLevel = '' | 'yellow' | 'red'

export function useStepSupervision(api = useApi()) {
  const state = reactive({
    warnings: [] as StepWarningView[],
    total: 0,
    level: '' as StepLevel,
    department: '',
    stats: null as StepStats | null,
  })
  const warningsCall = useCall()
  const statsCall = useCall()

  async function loadWarnings(): Promise<void> {
    const query = {
      size: 100,
      ...(state.level ? { level: state.level } : {}),
      ...(state.department ? { department: state.department } : {}),
    }
    const page = await warningsCall.run(() => api.get('/api/v1/staff/supervision/step-warnings', { query }))
    if (page) {
      state.warnings = page.items
      state.total = page.total
    }
  }

  async function loadStats(from: string, to: string): Promise<void> {
    const query = { from, to, ...(state.department ? { department: state.department } : {}) }
    const data = await statsCall.run(() => api.get('/api/v1/staff/stats/steps', { query }))
    if (data) state.stats = data
  }

  return { state, warningsCall, statsCall, loadWarnings, loadStats }
}
