import { describe, expect, it } from 'vitest'
import { createApiClient } from '@/api/client'
import { beijingToday, slotTime, slotsOfDesk, useBookFor, type SlotOut } from '@/composables/useBookFor'
import { apiError, fakeFetch, json, type Seen } from './fakeApi'

const DESK = {
  window: { id: 5, number: '5', name: '5号窗口' },
  group: { code: 'G-A', name: 'A区窗口', office_code: 'SMZX' },
  idle_minutes: 15,
}
const slot = (id: number, group: string, remaining: number): SlotOut => ({
  id,
  start: '2026-11-18T09:00:00+08:00',
  end: '2026-11-18T10:00:00+08:00',
  capacity: 9,
  remaining,
  window_group: group,
  office: '市民中心',
  opens_at: null,
})
const BOOKED = {
  id: 41,
  status: 'booked',
  status_text: '已预约',
  can_cancel: true,
  check_in_code: 'K7M2Q9',
  item_code: 'GA-1',
  item_name: '户口迁移',
  date: '2026-11-18',
  slot: slot(2, 'A区窗口', 0),
  place: '市民中心 A区窗口',
  queue_number: null,
  source: 'staff',
  cancel_deadline: '2026-11-17T17:00:00+08:00',
  created_at: '2026-11-16T09:10:00+08:00',
}

function api(book: (r: Seen) => Response) {
  const fetch = fakeFetch((request) => {
    if (request.url === '/api/v1/staff/me/desk') return json(200, DESK)
    if (request.url.startsWith('/api/v1/items?')) {
      return json(200, { total: 1, items: [{ code: 'GA-1', name: '户口迁移', bookable: true }] })
    }
    if (request.url.startsWith('/api/v1/appointments/slots?')) return json(200, [slot(1, 'B区窗口', 3), slot(2, 'A区窗口', 0)])
    if (request.url === '/api/v1/staff/appointments') return book(request)
    return json(404, {})
  })
  return { fetch, booking: useBookFor(createApiClient({ fetch })) }
}

describe('booking for a citizen (代约)', () => {
  it('knows the hall day and reads a slot time', () => {
    expect(beijingToday(new Date('2026-11-15T17:30:00Z'))).toBe('2026-11-16')
    expect(slotTime(slot(1, 'A', 1))).toBe('09:00–10:00')
    expect(slotsOfDesk([slot(1, 'B区窗口', 1), slot(2, 'A区窗口', 1)], DESK).map((s) => s.id)).toEqual([2])
    expect(slotsOfDesk([slot(1, 'B区窗口', 1)], null)).toHaveLength(1)
  })

  it("offers the desk group's slots, a full one too, and books it with the citizen's identity", async () => {
    const { fetch, booking } = api(() => json(201, BOOKED))
    booking.state.date = '2026-11-18'
    await booking.load()
    expect(booking.state.itemCode).toBe('GA-1')
    expect(fetch.seen.some((r) => r.url === '/api/v1/items?bookable=true&size=100')).toBe(true)
    expect(fetch.seen.some((r) => r.url === '/api/v1/appointments/slots?item_code=GA-1&date=2026-11-18')).toBe(true)
    expect(booking.state.slots.map((s) => [s.id, s.remaining])).toEqual([[2, 0]])
    booking.state.slotId = 2
    Object.assign(booking.state.citizen, { name: ' 李大爷 ', id_number: '11010519490101123x', phone: '13900001111' })
    const answer = await booking.book()
    expect(answer?.check_in_code).toBe('K7M2Q9')
    expect(fetch.seen.at(-1)).toMatchObject({
      method: 'POST',
      body: { slot_id: 2, item_code: 'GA-1', name: '李大爷', id_number: '11010519490101123X', phone: '13900001111' },
    })
    await booking.next()
    expect(booking.state.booked).toBeNull()
    expect(booking.state.citizen).toEqual({ name: '', id_number: '', phone: '' })
  })

  it('shows a refusal as the API says it, the 422 messages at their fields, and keeps what was typed', async () => {
    let refusal = apiError(409, 'SLOT_FULL', '该时段已约满')
    const { booking } = api(() => refusal)
    booking.state.date = '2026-11-18'
    await booking.load()
    booking.state.slotId = 2
    Object.assign(booking.state.citizen, { name: '李大爷', id_number: '110105', phone: '139' })
    expect(await booking.book()).toBeUndefined()
    expect(booking.bookErrors.message.value).toBe('该时段已约满')
    refusal = apiError(422, 'VALIDATION_ERROR', '请求参数不正确', {
      fields: { 'body.id_number': '身份证号码格式不正确', 'body.phone': '手机号格式不正确' },
    })
    expect(await booking.book()).toBeUndefined()
    expect(booking.bookErrors.fields).toMatchObject({ id_number: '身份证号码格式不正确', phone: '手机号格式不正确' })
    expect(booking.state.citizen.id_number).toBe('110105')
    expect(booking.state.booked).toBeNull()
  })
})
