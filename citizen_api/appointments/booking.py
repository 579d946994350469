"""Booking: every place is given exactly once, every citizen gets a clear answer.

Checks that only read (item, slot, horizon, suspension, an existing booking) run first, outside
the transaction. The transaction then takes its locks in one order everywhere — slot row, then
appointment rows, then quota rows — so that booking, cancelling and the waiting list never
deadlock each other:

1. ``UPDATE appt_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity`` (the place);
2. INSERT the appointment (its unique ``active_key`` refuses a second booking of the same day);
3. the weekly quota's conditional upsert;
4. the outbox row. Any refusal raises and rolls the whole transaction back.
"""

from __future__ import annotations

from datetime import date

from tortoise.exceptions import IntegrityError

from citizen_api import clock
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.models import Appointment, Slot
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import counters
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.rules import (
    already_booked,
    bookable_item,
    booking_window,
    limit_reached,
    slot_full,
    week_of,
)
from citizen_api.appointments.schemas import AppointmentOut, BookBody
from citizen_api.appointments.views import appointment_out, message_payload
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from notifications import outbox


async def checked_slot(slot_id: int, item, settings) -> Slot:
    """The slot, if it serves ``item`` and may still be booked now."""
    slot = await repo.slot_for_item(slot_id, item.id)
    if slot is None:
        raise ApiError(404, "NOT_FOUND", "未找到该时段")
    first, last, earliest = booking_window(settings)
    if not first <= slot.date <= last or slot.starts_at < earliest:
        raise ApiError(
            409,
            "OUTSIDE_BOOKING_WINDOW",
            f"只能预约 {settings.booking_min_lead_minutes} 分钟之后、"
            f"{settings.booking_horizon_days} 天之内的时段",
            {
                "earliest": clock.to_local(earliest).isoformat(timespec="minutes"),
                "last_day": last.isoformat(),
            },
        )
    if (await day_mode(slot.date)).kind != slot.mode:
        raise ApiError(409, "DAY_CLOSED", "该日已停止预约")
    return slot


async def check_may_book(user_id: int, item_id: int, day: date) -> None:
    suspension = await repo.active_suspension(user_id, clock.today())
    if suspension is not None:
        raise ApiError(
            403,
            "BOOKING_SUSPENDED",
            f"因多次预约未到，预约功能暂停至 {suspension.until.isoformat()}",
            {"until": suspension.until.isoformat()},
        )
    if await repo.has_active_booking(user_id, item_id, day):
        raise already_booked()


async def book(principal: Principal, body: BookBody, settings, unit: Unit) -> AppointmentOut:
    """Book ``body.slot_id`` in the request's unit of work (``unit``, retried on a deadlock)."""
    item = await bookable_item(body.item_code)
    slot = await checked_slot(body.slot_id, item, settings)
    if slot.booked >= slot.capacity:
        raise slot_full()  # answered early, without touching the hot row (most of a rush)
    await check_may_book(principal.user_id, item.id, slot.date)

    async def work() -> Appointment:
        booked = await counters.take_slot_place(slot.id)
        if booked is None:
            raise slot_full()
        try:
            appointment = await repo.create_appointment(principal.user_id, item.id, slot, "direct")
        except IntegrityError:
            raise already_booked() from None
        if not await counters.take_weekly_quota(
            principal.user_id, week_of(slot.date), settings.booking_weekly_limit
        ):
            raise limit_reached(settings)
        slot.booked = booked
        await outbox.enqueue(
            principal.user_id, "appointment.booked", message_payload(appointment, slot, item.name)
        )
        return appointment

    appointment = await in_unit(unit, work)
    appointment.slot = slot
    return appointment_out(appointment, settings.booking_cancel_cutoff_minutes, item)
