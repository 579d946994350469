import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { desk } from '@/api/staff'
import { useBackups, type BackupOut } from '@/composables/useBackups'
import { apiError, fakeFetch, json } from './fakeApi'

const ref = (id: number, name: string) => ({ id, username: `u${id}`, name, role: 'window' as const, department: 'GA', is_active: true })
const ROW: BackupOut = { user: ref(1, '王敏'), backup: ref(2, '李强'), absence: null, covering: [], candidates: [ref(2, '李强')] }

describe('AB角', () => {
  it('shows what the server says was handed over', async () => {
    const fetch = fakeFetch((request) => {
      if (request.url === '/api/v1/staff/users/1/absence') {
        return json(200, { id: 9, user_id: 1, backup_user_id: 2, status: 'absent', status_text: '缺岗', reason: '病假',
          started_at: '2026-09-29T09:00:00+08:00', ended_at: null, case_ids: [4, 5], tickets: ['AW001'],
          window_group: 'A区窗口', returned_case_ids: [], summary: '已转交 2 件、1 个号' })
      }
      return json(200, [ROW])
    })
    const backups = useBackups(createApiClient({ fetch }))
    expect(await backups.markAbsent(ROW, '病假')).toBe(true)
    expect(backups.state.notice).toBe('王敏 已标记缺岗，由 李强 接办：已转交 2 件、1 个号')
    expect(fetch.seen[0]?.body).toEqual({ reason: '病假' })
  })

  it('shows the server\'s refusal as it is worded', async () => {
    const fetch = fakeFetch(() => apiError(409, 'NO_BACKUP', '尚未指定在岗的 B 角，不能标记缺岗；请先指定 B 角'))
    const backups = useBackups(createApiClient({ fetch }))
    expect(await backups.markAbsent({ ...ROW, backup: null }, '病假')).toBe(false)
    expect(backups.action.errors.message.value).toContain('尚未指定在岗的 B 角')
    expect(backups.state.notice).toBe('')
  })

  it('reads the desk cover for the queue panel banner', () => {
    const read = desk({ window: { number: '7' }, group: { code: 'G-B' },
      covering: [{ absent_user_id: 1, absent_name: '王敏', group_code: 'G-A', group_name: 'A区窗口' }] })
    expect(read.covering).toEqual([{ absentName: '王敏', groupName: 'A区窗口' }])
    expect(desk({}).covering).toEqual([])
  })
})
