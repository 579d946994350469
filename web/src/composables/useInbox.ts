// An inbox: GET /staff/applications (q: case number full or part, applicant name or phone tail;
// status: several, comma-separated; sort=deadline; paging) and the badges from
// GET /staff/applications/counts. Warning colours, deadlines and working days left are the API's.
import { reactive, readonly } from 'vue'
import type { paths } from '@/api/schema'
import { caseCounts, caseRow, type CaseRow } from '@/api/staff'
import { useApi } from './useApi'
import { useCall } from './useCall'

export interface InboxQuery {
  q: string
  statuses: string[]
  warning: string
  page: number
  size: number
}

type InboxParams = NonNullable<paths['/api/v1/staff/applications']['get']['parameters']['query']>

/** The list's query: `status` comma-separated (the client joins the list), newest deadline first. */
export function inboxParams(query: InboxQuery): InboxParams {
  const params: InboxParams = { page: query.page, size: query.size, sort: 'deadline' }
  if (query.q.trim()) params.q = query.q.trim()
  if (query.statuses.length) params.status = query.statuses.join(',')
  if (query.warning) params.warning = query.warning as InboxParams['warning']
  return params
}

export function useInbox(initialStatuses: string[], api = useApi()) {
  const query = reactive<InboxQuery>({ q: '', statuses: [...initialStatuses], warning: '', page: 1, size: 20 })
  const state = reactive({ items: [] as CaseRow[], total: 0, counts: {} as Record<string, number>, loaded: false })
  const call = useCall()

  async function loadCounts(): Promise<void> {
    try {
      state.counts = caseCounts(await api.get('/api/v1/staff/applications/counts'))
    } catch {
      state.counts = {} // badges are a help; the list still works without them
    }
  }

  async function load(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/staff/applications', { query: inboxParams(query) })
      state.items = data.items.map(caseRow)
      state.total = data.total
      state.loaded = true
    })
    await loadCounts()
  }

  function search(): Promise<void> {
    query.page = 1
    return load()
  }

  return { query, state: readonly(state), busy: call.busy, errors: call.errors, load, search }
}
