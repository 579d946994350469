import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { createQueue } from '@/composables/useQueue'
import { fakeFetch, json } from './fakeApi'

const DESK = { window: { number: '7' }, group: { code: 'G-B', name: 'B区窗口', office_code: 'SMZX', office_name: '市民中心' } }
const COVER = { absent_user_id: 1, absent_name: '王敏', group_code: 'G-A', group_name: 'A区窗口' }

describe('the queue panel', () => {
  it('shows an AB角 cover started while the panel is open at the next periodic refresh', async () => {
    let covering: object[] = []
    const fetch = fakeFetch((request) => {
      if (request.url === '/api/v1/staff/me/desk') return json(200, { ...DESK, covering })
      return json(200, { waiting: [], called: [], serving: [], covered_groups: [] })
    })
    const queue = createQueue(createApiClient({ fetch }))
    await queue.loadDesk()
    await queue.refresh()
    expect(queue.state.desk?.covering).toEqual([])

    covering = [COVER] // a supervisor marks 王敏 absent: 李强 covers her desk
    await queue.refresh()
    expect(queue.state.desk?.covering).toEqual([{ absentName: '王敏', groupName: 'A区窗口' }])
    expect(fetch.seen.at(-1)?.url).toContain('/api/v1/staff/queue')

    covering = [] // she is back: the banner goes at the next refresh
    await queue.refresh()
    expect(queue.state.desk?.covering).toEqual([])
  })
})
