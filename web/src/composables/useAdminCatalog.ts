// 事项管理: the items list (drafts, published, offline; search) and the synonyms, over
// /api/v1/admin/catalog/*. No rule is checked here: the API answers what is wrong.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type AdminItem = components['schemas']['AdminItem']
export type Synonym = components['schemas']['SynonymOut']
export type ItemStatusFilter = '' | 'published' | 'unpublished' | 'draft'

/** What a row of the list says about its item: published, with a draft waiting, or offline. */
export function itemState(item: AdminItem): { label: string; type: 'success' | 'warning' | 'info' } {
  if (item.is_published && item.draft_version_id) return { label: '已发布（有待发布草稿）', type: 'warning' }
  if (item.is_published) return { label: '已发布', type: 'success' }
  if (item.published_version_id === null && item.draft_version_id) return { label: '草稿', type: 'warning' }
  return { label: '已下线', type: 'info' }
}

export function useAdminCatalog(api = useApi()) {
  const query = reactive({ q: '', status: '' as ItemStatusFilter, department: '', page: 1, size: 20 })
  const state = reactive({ items: [] as AdminItem[], total: 0, synonyms: [] as Synonym[], loaded: false })
  const call = useCall()
  const synonymCall = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/admin/catalog/items', {
        query: {
          page: query.page,
          size: query.size,
          q: query.q.trim() || undefined,
          status: query.status || undefined,
          department: query.department || undefined,
        },
      })
      state.items = data.items
      state.total = data.total
      state.loaded = true
    })
  }

  function search(): Promise<void> {
    query.page = 1
    return load()
  }

  async function loadSynonyms(): Promise<void> {
    await synonymCall.run(async () => {
      state.synonyms = await api.get('/api/v1/admin/catalog/synonyms')
    })
  }

  async function addSynonym(term: string, canonical: string): Promise<boolean> {
    const done = await synonymCall.run(async () => {
      await api.post('/api/v1/admin/catalog/synonyms', { body: { term: term.trim(), canonical: canonical.trim() } })
      return true
    })
    if (done) await loadSynonyms()
    return Boolean(done)
  }

  async function removeSynonym(id: number): Promise<void> {
    const done = await synonymCall.run(async () => {
      await api.delete('/api/v1/admin/catalog/synonyms/{id}', { path: { id } })
      return true
    })
    if (done) await loadSynonyms()
  }

  return {
    query,
    state,
    busy: call.busy,
    errors: call.errors,
    synonymErrors: synonymCall.errors,
    load,
    search,
    loadSynonyms,
    addSynonym,
    removeSynonym,
  }
}
