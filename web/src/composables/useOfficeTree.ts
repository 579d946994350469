// 三级便民服务: the district–town–village hierarchy of offices (GET /staff/offices/tree), placing an
// office in it (PUT /staff/offices/{code}/place, admin) or taking it out (DELETE …/place). Which
// placements are valid (a village under a town, a town under a district) is the API's to say.
import { computed, reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type OfficeTree = components['schemas']['OfficeTree']
export type Level = components['schemas']['PlaceIn']['level']

export const LEVEL_LABELS: Record<Level, string> = {
  district: '区级政务服务中心',
  town: '镇（街道）便民服务中心',
  village: '村（社区）便民服务点',
}

export function useOfficeTree(api = useApi()) {
  const state = reactive({ tree: null as OfficeTree | null, notice: '' })
  const call = useCall()
  const save = useCall()

  async function load(): Promise<void> {
    const tree = await call.run(() => api.get('/api/v1/staff/offices/tree'))
    if (tree) state.tree = tree
  }

  /** every village point, with its town's name (送达 → 送至服务点) */
  const villages = computed(() =>
    (state.tree?.districts ?? []).flatMap((d) =>
      d.towns.flatMap((t) => t.villages.map((v) => ({ code: v.code, name: v.name, town: t.name }))),
    ),
  )

  /** every office, placed or not, for the admin's form */
  const offices = computed(() => {
    const tree = state.tree
    if (!tree) return []
    const placed = tree.districts.flatMap((d) => [
      { code: d.code, name: d.name },
      ...d.towns.flatMap((t) => [{ code: t.code, name: t.name }, ...t.villages]),
    ])
    return [...placed, ...tree.unplaced]
  })

  async function place(code: string, level: Level, parent: string | null): Promise<boolean> {
    state.notice = ''
    const done = await save.run(() =>
      api.put('/api/v1/staff/offices/{code}/place', { path: { code }, body: { level, parent } }),
    )
    if (!done) return false
    state.notice = `已将「${done.name}」设为${done.level_text}`
    await load()
    return true
  }

  async function unplace(code: string): Promise<boolean> {
    state.notice = ''
    const done = await save.run(() => api.raw('delete', '/api/v1/staff/offices/{code}/place', { path: { code } }))
    if (done === undefined) return false
    state.notice = '已移出三级体系'
    await load()
    return true
  }

  return { state, call, save, villages, offices, load, place, unplace }
}
