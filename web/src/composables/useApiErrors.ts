// What a form shows after a failed call: the API's Chinese message, and each 422 field message at
// its field. The form's values are never touched, so nothing typed is lost (e.g. offline).
import { reactive, ref } from 'vue'
import { isApiError } from '@/api/errors'

export function useApiErrors() {
  const fields = reactive<Record<string, string>>({})
  const message = ref('')
  /** the API's error code (e.g. WAYBILL_INVALID), for a message that belongs at a field without details.fields */
  const code = ref('')

  function clear() {
    message.value = ''
    code.value = ''
    for (const key of Object.keys(fields)) delete fields[key]
  }

  function show(error: unknown) {
    clear()
    if (isApiError(error)) {
      Object.assign(fields, error.fields)
      message.value = error.message
      code.value = error.code
    } else {
      message.value = '操作未能完成，请重试'
      console.error(error)
    }
  }

  return { fields, message, code, clear, show }
}
