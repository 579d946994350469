// The window clerk's queue: the desk (office, window group, window) from GET /staff/me/desk, the
// group's queue (waiting, called, serving), and the clerk's moves: call next, recall, skip, finish,
// walk-in ticket, and check-in by the code a scanner types. The voice announcement is the caller's.
import { reactive, readonly } from 'vue'
import { desk as toDesk, queueState, ticket as toTicket, type Desk, type Ticket } from '@/api/staff'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type QueueMove = 'recall' | 'serve' | 'skip' | 'finish'
const MOVE_PATHS = {
  recall: '/api/v1/staff/queue/{id}/recall',
  serve: '/api/v1/staff/queue/{id}/serve',
  skip: '/api/v1/staff/queue/{id}/skip',
  finish: '/api/v1/staff/queue/{id}/finish',
} as const

export function createQueue(api = useApi()) {
  const state = reactive({
    desk: null as Desk | null,
    deskMissing: false,
    waiting: [] as Ticket[],
    called: [] as Ticket[],
    lastCheckIn: '' as string,
  })
  const call = useCall()

  async function loadDesk(): Promise<void> {
    await call.run(async () => {
      try {
        state.desk = toDesk(await api.get('/api/v1/staff/me/desk'))
        state.deskMissing = !state.desk.groupCode
      } catch (error) {
        state.deskMissing = true
        throw error
      }
    })
  }

  async function loadQueue(): Promise<void> {
    const group = state.desk?.groupCode
    if (!group) return
    const data = queueState(await api.get('/api/v1/staff/queue', { query: { group } }))
    state.waiting = data.waiting
    state.called = data.called
  }

  // the periodic refresh re-reads the desk too: an AB角 cover started (or ended) while the panel is
  // open shows in its banner within one refresh, and the queue follows the covered groups
  async function refresh(): Promise<void> {
    await call.run(async () => {
      if (state.desk) {
        state.desk = toDesk(await api.get('/api/v1/staff/me/desk'))
        state.deskMissing = !state.desk.groupCode
      }
      await loadQueue()
    })
  }

  // the group names the queue; an empty window means the clerk's own (the server knows the desk)
  const groupBody = () => ({ group: state.desk?.groupCode || null })

  /** The ticket called (for the announcement), or undefined when the call failed (message shown). */
  async function callNext(): Promise<Ticket | undefined> {
    return call.run(async () => {
      const called = toTicket(await api.post('/api/v1/staff/queue/call-next', { body: { ...groupBody(), window: '' } }))
      await loadQueue()
      return called
    })
  }

  async function move(ticketId: number, action: QueueMove): Promise<Ticket | undefined> {
    return call.run(async () => {
      const answer = toTicket(await api.post(MOVE_PATHS[action], { path: { id: ticketId } }))
      await loadQueue()
      return answer
    })
  }

  async function walkIn(): Promise<Ticket | undefined> {
    return call.run(async () => {
      const issued = toTicket(await api.post('/api/v1/staff/queue/walk-in', { body: groupBody() }))
      await loadQueue()
      return issued
    })
  }

  async function checkIn(code: string): Promise<string | undefined> {
    return call.run(async () => {
      const answer = await api.post('/api/v1/staff/appointments/check-in', { body: { code } })
      state.lastCheckIn = answer.queue_number
      await loadQueue()
      return state.lastCheckIn
    })
  }

  return {
    state: readonly(state),
    busy: call.busy,
    errors: call.errors,
    loadDesk,
    refresh,
    callNext,
    move,
    walkIn,
    checkIn,
  }
}

export type QueueApi = ReturnType<typeof createQueue>
