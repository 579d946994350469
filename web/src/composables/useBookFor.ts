// 代约: the window clerk books for a citizen on the phone or at the hall (POST /staff/appointments with
// the citizen's name, ID number and phone). The desk (GET /staff/me/desk) names the clerk's window group;
// the items are the catalog's bookable ones (GET /items?bookable=true), the day's slots those of
// GET /appointments/slots. The slot answer counts the places citizens may book online: the staff's
// reserved share is not in it, so a slot showing 0 may still take a 代约 — the API says SLOT_FULL if not.
import { reactive } from 'vue'
import type { components } from '@/api/schema'
import { useApi } from './useApi'
import { useCall } from './useCall'

export type SlotOut = components['schemas']['SlotOut']
export type AppointmentOut = components['schemas']['AppointmentOut']
export type DeskOut = components['schemas']['DeskOut']

export interface CitizenForm {
  name: string
  id_number: string
  phone: string
}

export interface BookableItem {
  code: string
  name: string
}

/** Today in Beijing, YYYY-MM-DD (the hall's day, whatever the PC's time zone). */
export function beijingToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now)
}

/** "09:00–10:00" from the slot's local ISO times. */
export function slotTime(slot: Pick<SlotOut, 'start' | 'end'>): string {
  return `${slot.start.slice(11, 16)}–${slot.end.slice(11, 16)}`
}

/** The slots of the clerk's window group (a clerk books only there; without a desk: every group). */
export function slotsOfDesk(slots: SlotOut[], desk: DeskOut | null): SlotOut[] {
  const group = desk?.group
  if (!group) return slots
  return slots.filter((s) => s.window_group === group.name)
}

export function emptyCitizen(): CitizenForm {
  return { name: '', id_number: '', phone: '' }
}

export function useBookFor(api = useApi()) {
  const state = reactive({
    desk: null as DeskOut | null,
    items: [] as BookableItem[],
    itemCode: '',
    date: beijingToday(),
    slots: [] as SlotOut[],
    slotsLoaded: false,
    slotId: undefined as number | undefined,
    citizen: emptyCitizen(),
    booked: null as AppointmentOut | null,
  })
  const call = useCall()
  const bookCall = useCall()

  async function load(): Promise<void> {
    await call.run(async () => {
      const [desk, items] = await Promise.all([
        api.get('/api/v1/staff/me/desk'),
        api.get('/api/v1/items', { query: { bookable: true, size: 100 } }),
      ])
      state.desk = desk
      state.items = items.items.map((i) => ({ code: i.code, name: i.name }))
      if (!state.itemCode && state.items.length === 1) state.itemCode = state.items[0]!.code
    })
    if (state.itemCode) await loadSlots()
  }

  async function loadSlots(): Promise<void> {
    state.slotId = undefined
    state.slots = []
    state.slotsLoaded = false
    if (!state.itemCode || !state.date) return
    await call.run(async () => {
      const slots = await api.get('/api/v1/appointments/slots', { query: { item_code: state.itemCode, date: state.date } })
      state.slots = slotsOfDesk(slots, state.desk)
      state.slotsLoaded = true
    })
  }

  /** The booking, or undefined when the API refused (its message shown, 422 messages at their fields). */
  async function book(): Promise<AppointmentOut | undefined> {
    if (state.slotId === undefined) return undefined
    const slotId = state.slotId
    const booked = await bookCall.run(() =>
      api.post('/api/v1/staff/appointments', {
        body: {
          slot_id: slotId,
          item_code: state.itemCode,
          name: state.citizen.name.trim(),
          id_number: state.citizen.id_number.trim().toUpperCase(),
          phone: state.citizen.phone.trim(),
        },
      }),
    )
    if (!booked) return undefined
    state.booked = booked
    return booked
  }

  /** The next citizen: a clean form, the same item and day, the places as they are now. */
  async function next(): Promise<void> {
    state.booked = null
    state.citizen = emptyCitizen()
    bookCall.errors.clear()
    await loadSlots()
  }

  return {
    state,
    busy: call.busy,
    errors: call.errors,
    bookBusy: bookCall.busy,
    bookErrors: bookCall.errors,
    load,
    loadSlots,
    book,
    next,
  }
}
