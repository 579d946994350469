// 村级代办 for a village point's 代办员: the point (GET /staff/points/me), filing for a villager present
// (POST /staff/point-filings, the villager's signature uploaded as a PNG first), the point's cases and
// the results waiting at the point (已领取). Every rule — the point, the consent, the materials — is
// the API's; its refusals are shown as it words them.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { uploadFile } from './useAdminItem'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type MyPoint = components['schemas']['MyPoint']
export type PointFilingOut = components['schemas']['PointFilingOut']
export type PointDeliveryOut = components['schemas']['PointDeliveryOut']
export type ItemGuide = components['schemas']['ItemDetail']
export type Villager = components['schemas']['StaffFilingCitizen']

export const NECESSITY_TEXT: Record<string, string> = { required: '必要', tolerated: '容缺', optional: '非必要' }

export function usePointDesk(api = useApi()) {
  const state = reactive({ point: null as MyPoint | null })
  const call = useCall()

  async function load(): Promise<void> {
    const point = await call.run(() => api.get('/api/v1/staff/points/me'))
    if (point) state.point = point
  }

  return { state, call, load }
}

export function usePointFiling(api = useApi()) {
  const state = reactive({ guide: null as ItemGuide | null, filed: null as { number: string } | null })
  const guide = useCall()
  const submit = useCall()

  async function loadGuide(code: string): Promise<void> {
    state.guide = null
    const found = await guide.run(() => api.get('/api/v1/items/{code}', { path: { code } }))
    if (found) state.guide = found
  }

  /** Upload the scans and the signature, then file; true when filed (the number in `state.filed`). */
  async function file(body: {
    point: string
    villager: Villager
    files: Record<number, File[]>
    signature: Blob | null
    tolerateMissing: boolean
  }): Promise<boolean> {
    if (!state.guide) return false
    const itemCode = state.guide.code
    const done = await submit.run(async () => {
      const materials: Record<string, number[]> = {}
      for (const [materialId, files] of Object.entries(body.files)) {
        const ids: number[] = []
        for (const scan of files) ids.push((await uploadFile(scan)).uploadId)
        if (ids.length) materials[materialId] = ids
      }
      const signature = body.signature
        ? (await uploadFile(new File([body.signature], 'signature.png', { type: 'image/png' }))).uploadId
        : null
      return api.post('/api/v1/staff/point-filings', {
        body: {
          point: body.point,
          item_code: itemCode,
          villager: body.villager,
          materials,
          tolerate_missing: body.tolerateMissing,
          consent_signature: signature,
          delivery: null,
        },
      })
    })
    if (!done) return false
    state.filed = { number: done.number }
    return true
  }

  return { state, guide, submit, loadGuide, file }
}

export function usePointCases(api = useApi()) {
  const state = reactive({ items: [] as PointFilingOut[], total: 0 })
  const list = useCall()

  async function load(): Promise<void> {
    const page = await list.run(() => api.get('/api/v1/staff/point-filings', { query: { size: 50 } }))
    if (page) Object.assign(state, { items: page.items, total: page.total })
  }

  return { state, list, load }
}

export function usePointPickups(api = useApi()) {
  const state = reactive({ items: [] as PointDeliveryOut[], total: 0, status: 'at_point' as '' | 'at_point' | 'handed_over' })
  const list = useCall()
  const action = useCall()

  async function load(): Promise<void> {
    const query = state.status ? { status: state.status } : {}
    const page = await list.run(() => api.get('/api/v1/staff/point-deliveries', { query: { ...query, size: 50 } }))
    if (page) Object.assign(state, { items: page.items, total: page.total })
  }

  /** 已领取: true when handed over (the list reloaded); false when refused (the message in `action.errors`). */
  async function handOver(id: number): Promise<boolean> {
    const done = await action.run(() =>
      api.post('/api/v1/staff/point-deliveries/{id}/hand-over', { path: { id } }),
    )
    if (done === undefined) return false
    await load()
    return true
  }

  return { state, list, action, load, handOver }
}

export type PointFigures = components['schemas']['PointFigures']

/** 服务点统计 (GET /staff/points/stats): per village point, the cases filed and done in the period, the
 * results awaiting pickup now and those handed over. The dates are inclusive; the API checks them. */
export function usePointStats(api = useApi()) {
  const state = reactive({ since: '', until: '', points: [] as PointFigures[] })
  const call = useCall()

  async function load(): Promise<void> {
    const stats = await call.run(() =>
      api.get('/api/v1/staff/points/stats', { query: { from: state.since, to: state.until } }),
    )
    if (stats) state.points = stats.points
  }

  return { state, call, load }
}
