// A supervision list's filters, kept in the page's query: a chart's link fills them, 查询 writes them
// back (page 1), and reload or back show the same rows.
import { reactive, watch } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'

export function filtersFrom(query: LocationQuery, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of keys) {
    const value = query[key]
    const first = Array.isArray(value) ? value[0] : value
    out[key] = typeof first === 'string' ? first.slice(0, 64) : ''
  }
  return out
}

export function useSupervisionFilters(keys: readonly string[], onChange: (filters: Record<string, string>) => void) {
  const route = useRoute()
  const router = useRouter()
  const filters = reactive(filtersFrom(route.query, keys))

  function apply(): void {
    const query = Object.fromEntries(Object.entries(filters).filter(([, value]) => value))
    void router.replace({ query })
  }

  watch(
    () => route.query,
    (query) => {
      Object.assign(filters, filtersFrom(query, keys))
      onChange({ ...filters })
    },
    { immediate: true },
  )

  return { filters, apply }
}
