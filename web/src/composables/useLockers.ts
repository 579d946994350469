// The hall's 24-hour pickup lockers (自助取件) a result can be put into on 送达 (GET /staff/lockers).
// Which compartment opens, the pickup code and its expiry are the server's and the locker's business.
import { ref } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'

export type LockerOut = components['schemas']['LockerOut']

export function useLockers(api = useApi()) {
  const lockers = ref<LockerOut[]>([])
  const loaded = ref(false)

  async function load(): Promise<void> {
    if (loaded.value) return
    lockers.value = (await api.get('/api/v1/staff/lockers')) as LockerOut[]
    loaded.value = true
  }

  return { lockers, load }
}
