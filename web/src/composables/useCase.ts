// One case for the staff case page: GET /staff/applications/{id}, the actions it allows
// (`allowed_actions`), reveal of the applicant's full data (with a reason, audited by the server),
// and the transitions. After every action the case is reloaded so the moved deadline shows; a 409
// says the case changed meanwhile and reloads it; 422 field messages go to the dialog's fields.
import { reactive, ref, shallowReadonly } from 'vue'
import { isApiError } from '@/api/errors'
import { ACTION_PATHS, caseDetail, type CaseAction, type CaseDetail } from '@/api/staff'
import { useApi } from './useApi'
import { useApiErrors } from './useApiErrors'
import { noteCallResult } from './useNetwork'

export const CONFLICT_MESSAGE = '该办件已被他人更新，已为您重新载入最新情况'
// 409s that answer what was typed in the dialog (another locker or waybill may do), not a case that
// moved meanwhile: the dialog stays open with the message
const STAYS_IN_DIALOG = new Set(['LOCKER_FULL', 'WAYBILL_IN_USE'])

export interface Revealed {
  name: string
  idNumber: string
  phone: string
}

export function useCase(caseId: () => number, api = useApi()) {
  const state = reactive({
    detail: null as CaseDetail | null,
    loadError: '',
    notice: '',
    revealed: null as Revealed | null,
  })
  const busy = ref(false)
  const errors = useApiErrors()

  async function load(): Promise<void> {
    try {
      state.detail = caseDetail(await api.get('/api/v1/staff/applications/{id}', { path: { id: caseId() } }))
      state.loadError = ''
      noteCallResult()
    } catch (error) {
      noteCallResult(error)
      state.loadError = isApiError(error) ? error.message : '办件载入失败'
      if (!isApiError(error)) throw error
    }
  }

  /** true when done; false when refused (the message and field errors are in `errors`). */
  async function act(action: CaseAction, body: Record<string, unknown> = {}): Promise<boolean> {
    busy.value = true
    errors.clear()
    state.notice = ''
    try {
      await api.raw('post', `/api/v1/staff/applications/{id}/${ACTION_PATHS[action]}`, { path: { id: caseId() }, body })
      noteCallResult()
      await load()
      return true
    } catch (error) {
      noteCallResult(error)
      if (isApiError(error) && error.status === 409 && !STAYS_IN_DIALOG.has(error.code)) {
        state.notice = `${CONFLICT_MESSAGE}（${error.message}）`
        await load()
        return true // the dialog closes: what it was for may no longer apply
      }
      errors.show(error)
      return false
    } finally {
      busy.value = false
    }
  }

  async function reveal(reason: string): Promise<boolean> {
    busy.value = true
    errors.clear()
    try {
      const data = await api.post('/api/v1/staff/applications/{id}/reveal', { path: { id: caseId() }, body: { reason } })
      state.revealed = { name: data.name ?? '', idNumber: data.id_number ?? '', phone: data.phone ?? '' }
      noteCallResult()
      return true
    } catch (error) {
      noteCallResult(error)
      errors.show(error)
      return false
    } finally {
      busy.value = false
    }
  }

  function hide() {
    state.revealed = null
  }

  return { state: shallowReadonly(state), busy, errors, load, act, reveal, hide }
}

export type CaseApi = ReturnType<typeof useCase>
