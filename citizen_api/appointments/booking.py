"""Booking and cancelling: every place is given exactly once, every citizen gets a clear answer.

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

from datetime import date, timedelta

from tortoise.exceptions import IntegrityError

from citizen_api import clock
from citizen_api.appointments import atomic
from citizen_api.appointments import repository as repo
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.models import BOOKED, CANCELLED, Appointment, Slot
from citizen_api.appointments.present import appointment_out, message_payload
from citizen_api.appointments.rules import cancel_refusal, not_cancellable
from citizen_api.appointments.schemas import AppointmentOut, BookBody
from citizen_api.appointments.service import booking_window
from citizen_api.catalog.models import ServiceItem
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from notifications import outbox


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def slot_full() -> ApiError:
    return ApiError(409, "SLOT_FULL", "该时段已约满，可加入候补", {"waitlist": True})


async def checked_slot(slot_id: int, item: ServiceItem, settings) -> Slot:
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


async def check_may_book(user_id: int, item: ServiceItem, day: date) -> None:
    suspension = await repo.active_suspension(user_id, clock.today())
    if suspension is not None:
        raise ApiError(
            403,
            "BOOKING_SUSPENDED",
            f"因多次预约未到，预约功能暂停至 {suspension.until.isoformat()}",
            {"until": suspension.until.isoformat()},
        )
    if await repo.has_active_booking(user_id, item.id, day):
        raise already_booked()


def already_booked() -> ApiError:
    return ApiError(409, "ALREADY_BOOKED", "您当天已预约过该事项")


def limit_reached(settings) -> ApiError:
    limit = settings.booking_weekly_limit
    return ApiError(409, "BOOKING_LIMIT_REACHED", f"每周最多预约 {limit} 次", {"weekly_limit": limit})


async def create_appointment(user_id: int, item: ServiceItem, slot: Slot, source: str) -> Appointment:
    """INSERT; the unique active_key raises IntegrityError for a second booking of that item and day."""
    return await Appointment.create(
        user_id=user_id,
        item_id=item.id,
        slot_id=slot.id,
        date=slot.date,
        starts_at=slot.starts_at,
        status=BOOKED,
        active_key=repo.active_key(user_id, item.id, slot.date),
        source=source,
    )


async def book(principal: Principal, body: BookBody, settings) -> AppointmentOut:
    item = await repo.bookable_item(body.item_code)
    slot = await checked_slot(body.slot_id, item, settings)
    if slot.booked >= slot.capacity:
        raise slot_full()  # answered early, without touching the hot row (most of a rush)
    await check_may_book(principal.user_id, item, slot.date)

    async def work() -> Appointment:
        booked = await atomic.take_slot_place(slot.id)
        if booked is None:
            raise slot_full()
        try:
            appointment = await create_appointment(principal.user_id, item, slot, "direct")
        except IntegrityError:
            raise already_booked() from None
        if not await atomic.take_weekly_quota(
            principal.user_id, week_of(slot.date), settings.booking_weekly_limit
        ):
            raise limit_reached(settings)
        slot.booked = booked
        await outbox.enqueue(
            principal.user_id, "appointment.booked", message_payload(appointment, slot, item.name)
        )
        return appointment

    appointment = await atomic.run_atomic(work)
    appointment.slot, appointment.item = slot, item
    return appointment_out(appointment, settings.booking_cancel_cutoff_minutes)


async def cancel(principal: Principal, appointment_id: int, settings) -> AppointmentOut:
    from citizen_api.appointments.waitlist import hand_over

    appointment = await repo.appointment_of(appointment_id, principal.user_id)
    refusal = cancel_refusal(appointment, settings.booking_cancel_cutoff_minutes)
    if refusal is not None:
        raise refusal
    slot = appointment.slot

    async def work() -> None:
        await atomic.lock_slot(slot.id)
        changed = await Appointment.filter(id=appointment.id, status=BOOKED).update(
            status=CANCELLED, active_key=None, cancelled_at=clock.now()
        )
        if not changed:
            raise not_cancellable("changed")
        await atomic.release_weekly_quota(principal.user_id, week_of(appointment.date))
        if await hand_over(slot, settings) is None:
            await atomic.release_slot_place(slot.id)
        await outbox.enqueue(
            principal.user_id,
            "appointment.cancelled",
            message_payload(appointment, slot, appointment.item.name),
        )

    await atomic.run_atomic(work)
    return appointment_out(await repo.appointment_of(appointment.id), settings.booking_cancel_cutoff_minutes)
