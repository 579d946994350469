import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { useOfficeTree } from '@/composables/useOfficeTree'
import { usePointPickups } from '@/composables/usePoints'
import { homeFor, sectionsFor } from '@/router/sections'
import { apiError, fakeFetch, json } from './fakeApi'

const TREE = {
  districts: [
    {
      code: 'QZX',
      name: '城区政务服务中心',
      towns: [{ code: 'HXZ', name: '河西镇便民服务中心', villages: [{ code: 'DC', name: '东村便民服务点' }] }],
    },
  ],
  unplaced: [{ code: 'NC', name: '南村便民服务点' }],
}
const PARCEL = {
  id: 7,
  application_id: 3,
  number: 'GA20261203000001',
  item_name: '户口迁移',
  point_code: 'DC',
  point_name: '东村便民服务点',
  status: 'at_point',
  status_text: '待领取',
  applicant_name: '王*英',
  applicant_phone: '137****1111',
  arrived_at: '2026-12-03T10:00:00+08:00',
  handed_over_at: null,
  actions: ['hand_over'],
}

describe('三级便民服务 in the workbench', () => {
  it('gives a village agent the 村级代办 section only', () => {
    expect(sectionsFor('village_agent').map((s) => s.title)).toEqual(['村级代办'])
    expect(homeFor('village_agent')).toBe('/points')
    expect(sectionsFor('window').map((s) => s.name)).not.toContain('points')
  })

  it('lists the village points of the tree and every office for the admin', async () => {
    const fetch = fakeFetch(() => json(200, TREE))
    const tree = useOfficeTree(createApiClient({ fetch }))
    await tree.load()
    expect(tree.villages.value).toEqual([{ code: 'DC', name: '东村便民服务点', town: '河西镇便民服务中心' }])
    expect(tree.offices.value.map((o) => o.code)).toEqual(['QZX', 'HXZ', 'DC', 'NC'])
  })

  it("hands a result over, and shows the API's refusal as worded when it was already collected", async () => {
    let handed = false
    const fetch = fakeFetch((request) => {
      if (request.url.startsWith('/api/v1/staff/point-deliveries?')) return json(200, { total: 1, items: [PARCEL] })
      if (request.url === '/api/v1/staff/point-deliveries/7/hand-over') {
        if (handed) return apiError(409, 'ALREADY_HANDED_OVER', '该办理结果已由群众领取')
        handed = true
        return json(200, { ...PARCEL, status: 'handed_over', actions: [] })
      }
      return json(404, {})
    })
    const pickups = usePointPickups(createApiClient({ fetch }))
    await pickups.load()
    expect(pickups.state.items[0]?.actions).toEqual(['hand_over'])
    expect(await pickups.handOver(7)).toBe(true)
    expect(await pickups.handOver(7)).toBe(false)
    expect(pickups.action.errors.message.value).toBe('该办理结果已由群众领取')
    expect(fetch.seen.filter((r) => r.method === 'POST')).toHaveLength(2)
  })
})
