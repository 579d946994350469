// 消息: the outbox rows of a status (dead letters by default) with their last error, and requeue of
// the selected ones or of every dead letter (POST /admin/notifications/requeue).
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type OutboxRow = components['schemas']['OutboxRow']
export type OutboxStatus = OutboxRow['status']

export const STATUS_LABELS: Record<OutboxStatus, string> = {
  dead: '死信（已放弃）',
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  skipped: '已跳过',
}

export function useAdminNotifications(api = useApi()) {
  const query = reactive({ status: 'dead' as OutboxStatus, event: '', page: 1, size: 20 })
  const state = reactive({ items: [] as OutboxRow[], total: 0, notice: '' })
  const call = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      const data = await api.get('/api/v1/admin/notifications', {
        query: { status: query.status, event: query.event.trim() || undefined, page: query.page, size: query.size },
      })
      state.items = data.items
      state.total = data.total
    })
  }

  function search(): Promise<void> {
    query.page = 1
    return load()
  }

  /** ids: the selected dead letters; null: every dead letter. */
  async function requeue(ids: number[] | null): Promise<number | undefined> {
    state.notice = ''
    const answer = await call.run(() => api.post('/api/v1/admin/notifications/requeue', { body: { ids } }))
    if (answer) {
      state.notice = `已重新排队 ${answer.requeued} 条消息`
      await load()
    }
    return answer?.requeued
  }

  return { query, state, busy: call.busy, errors: call.errors, load, search, requeue }
}
