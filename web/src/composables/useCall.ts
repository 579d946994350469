// Runs one API call for a view: loading flag, the error's message and its 422 field messages, and the
// network banner. The view's form values are never touched, so nothing typed is lost.
import { ref } from 'vue'
import { isApiError } from '@/api/errors'
import { useApiErrors } from './useApiErrors'
import { noteCallResult } from './useNetwork'

export function useCall() {
  const busy = ref(false)
  const errors = useApiErrors()

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    errors.clear()
    try {
      const result = await work()
      noteCallResult()
      return result
    } catch (error) {
      noteCallResult(error)
      errors.show(error)
      if (!isApiError(error)) throw error
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { busy, errors, run }
}
