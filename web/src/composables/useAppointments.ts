// Today's bookings of the clerk's scope, GET /staff/appointments?date=&q= (q: phone tail, name or
// check-in code). The date is the server's "today" when none is given.
import { reactive, readonly } from 'vue'
import { appointmentRow, type AppointmentRow } from '@/api/staff'
import { useApi } from './useApi'
import { useCall } from './useCall'

export function useAppointments(api = useApi()) {
  const state = reactive({ items: [] as AppointmentRow[], total: 0, q: '' })
  const call = useCall()

  async function load(q = state.q): Promise<void> {
    state.q = q
    await call.run(async () => {
      const data = await api.get('/api/v1/staff/appointments', { query: { q: q.trim() || undefined, size: 100 } })
      state.items = data.items.map(appointmentRow)
      state.total = data.total
    })
  }

  return { state: readonly(state), busy: call.busy, errors: call.errors, load }
}
