// AB角 for supervisors and admins: each clerk's backup (B角) and absence (GET /staff/backups), naming a
// backup (PUT /staff/users/{id}/backup), 标记缺岗 and 返岗 (POST …/absence, …/absence/end). Who may be
// chosen (`candidates`) and every refusal are the server's; the view shows them.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type BackupOut = components['schemas']['BackupOut']
export type AbsenceOut = components['schemas']['AbsenceOut']

export const ROLE_TEXT: Record<string, string> = { window: '窗口人员', approver: '审批人员' }

export function useBackups(api = useApi()) {
  const state = reactive({ items: [] as BackupOut[], department: '', notice: '' })
  const list = useCall()
  const action = useCall()

  async function load(): Promise<void> {
    const query = state.department ? { department: state.department } : {}
    const rows = await list.run(() => api.get('/api/v1/staff/backups', { query }))
    if (rows) state.items = rows
  }

  async function done(answer: unknown, notice: string): Promise<boolean> {
    if (answer === undefined) return false
    state.notice = notice
    await load()
    return true
  }

  async function setBackup(userId: number, backupUserId: number): Promise<boolean> {
    state.notice = ''
    const answer = await action.run(() =>
      api.put('/api/v1/staff/users/{id}/backup', { path: { id: userId }, body: { backup_user_id: backupUserId } }),
    )
    return done(answer, answer ? `已指定 ${answer.user.name} 的 B 角：${answer.backup?.name ?? ''}` : '')
  }

  async function markAbsent(row: BackupOut, reason: string): Promise<boolean> {
    state.notice = ''
    const answer = await action.run(() =>
      api.post('/api/v1/staff/users/{id}/absence', { path: { id: row.user.id }, body: { reason } }),
    )
    return done(answer, answer ? `${row.user.name} 已标记缺岗，由 ${row.backup?.name ?? 'B 角'} 接办：${answer.summary}` : '')
  }

  async function markReturned(row: BackupOut): Promise<boolean> {
    state.notice = ''
    const answer = await action.run(() =>
      api.post('/api/v1/staff/users/{id}/absence/end', { path: { id: row.user.id } }),
    )
    return done(answer, answer ? `${row.user.name} 已返岗：${answer.summary}` : '')
  }

  return { state, list, action, load, setBackup, markAbsent, markReturned }
}
