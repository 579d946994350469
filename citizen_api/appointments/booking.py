"""Booking: every place is given exactly once, every citizen gets a clear answer, a refusal is cheap.

On release day most attempts are refusals of a slot that is already full, so the first check
(after the throttle) asks ``full_cache`` — no transaction, no query. Then the checks that only
read (item and slot from ``hot``, horizon, day, release time, profile, suspension, an existing
booking) run outside the transaction, behind the per-slot gate. Cancelling and the waiting
list take the slot row first; a booking takes it last, so the row every attempt queues on is held
for the one round trip before the commit (the rare deadlock with a cancellation of the same person's
booking that week is retried by the unit of work):

1. INSERT the appointment (its unique ``active_key`` — person, item, day — refuses a second one);
2. the person's weekly quota, a conditional upsert;
3. the outbox row;
4. ``UPDATE appt_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity - reserved``,
   last: the slot's row lock is held the shortest time (see :func:`give_place`).
Any refusal raises and rolls the whole transaction back. On PostgreSQL the four steps are one
statement on its own (``repository/one_statement.py``): the row lock is then held for no round trip
through this process at all.

"Person" is the real-name identity (the ID number's blind index), so two WeChat accounts of one
person share the day's booking and the weekly limit.
"""

from __future__ import annotations

import contextlib
import copy
from datetime import date

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.appointments import agency, full_cache, hot, release
from citizen_api.appointments.allocation import allocation_of, lottery_day
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.models import Appointment, Slot
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import counters, one_statement
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.rules import (
    already_booked,
    booking_window,
    citizen_places,
    limit_reached,
    slot_full,
    week_of,
)
from citizen_api.appointments.schemas import AppointmentOut, BookingBody
from citizen_api.appointments.views import appointment_out, message_payload
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from notifications import outbox


def profile_incomplete() -> ApiError:
    return ApiError(409, "PROFILE_INCOMPLETE", "预约需先完善实名信息（姓名、身份证号、手机号）")


async def person_of(user_id: int, settings) -> str:
    """The booking identity of an account: its real name (409 PROFILE_INCOMPLETE without one, unless
    ``booking_requires_profile`` is off: then the account itself)."""
    key = await users.person_key(user_id)
    if key is not None:
        return key
    if settings.booking_requires_profile:
        raise profile_incomplete()
    return f"u{user_id}"


async def checked_slot(state, slot_id: int, item, settings) -> Slot:
    """The slot, if it serves ``item`` and may still be booked now (released, day open, in time)."""
    slot = await hot.slot_for_item(state, slot_id, item.id)
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
    opens_at = await release.slot_opens_at(state, slot.group_id, item.id, slot.date)
    if opens_at is not None:
        raise release.not_yet_open(opens_at)
    return copy.copy(slot)  # the cached row is shared: the answer sets its own ``booked``


async def check_may_book(user_id: int, person: str, item_id: int, day: date) -> None:
    until, booked = await repo.may_book_facts(user_id, person, item_id, day, clock.today())
    if until is not None:
        raise ApiError(
            403,
            "BOOKING_SUSPENDED",
            f"因多次预约未到，预约功能暂停至 {until.isoformat()}",
            {"until": until.isoformat()},
        )
    if booked:
        raise already_booked()


async def give_place(
    user_id: int,
    person: str,
    item,
    slot: Slot,
    settings,
    *,
    reserved_percent: int,
    source: str,
    filing: dict | None = None,
) -> Appointment:
    """Steps 1–4 inside the caller's unit of work; raises SLOT_FULL, ALREADY_BOOKED or the limit.

    The slot's conditional UPDATE comes last, just before the commit: its row lock, which every
    attempt at the slot queues on, is held one round trip instead of four (the appointment row and
    the outbox row are new rows, and the quota row is the person's own; the appointment's key on the
    slot only shares its row). A deadlock with a cancellation of the same person's other booking that
    week (slot, then quota) is retried by the unit of work."""
    try:
        appointment = await repo.create_appointment(
            user_id, item.id, slot, source, person=person, filing=filing
        )
    except IntegrityError:
        raise already_booked() from None
    if not await counters.take_weekly_quota(
        person, user_id, week_of(slot.date), settings.booking_weekly_limit
    ):
        raise limit_reached(settings)
    await outbox.enqueue(user_id, "appointment.booked", message_payload(appointment, slot, item.name))
    booked = await counters.take_slot_place(slot.id, reserved_percent)
    if booked is None:
        raise slot_full()  # the unit of work rolls back the appointment, the quota and the message
    slot.booked = booked
    return appointment


async def book(
    principal: Principal, body: BookingBody, state, unit: Unit, seen: full_cache.Seen
) -> AppointmentOut:
    """Book ``body.slot_id`` in the request's unit of work (``unit``, retried on a deadlock);
    ``seen``: what the full-slot cache said of the slot as the attempt came in."""
    settings = state.settings
    item = await hot.item(state, body.item_code)
    slot = await checked_slot(state, body.slot_id, item, settings)
    if seen.full:
        raise slot_full()  # most of a rush: answered from the cache, nothing else is read
    # the reads as well as the transaction wait at the gate: reads let through by the thousand
    # took every pooled connection, and the winners' transactions queued behind them (the 100th
    # place came after 4.8 s instead of 2, bench/booking.py)
    async with full_cache.gate(state, slot.id):  # a rush waits here instead of in the database
        if full_cache.known_full_here(state, slot.id):
            raise slot_full()  # filled while this attempt waited: its process's mark, no I/O
        appointment = await _book(principal, item, slot, state, unit, seen, body.on_behalf_of)
    appointment.slot = slot
    return appointment_out(
        appointment, settings.booking_cancel_cutoff_minutes, item, settings.booking_staff_reserved_percent
    )


async def _book(
    principal: Principal, item, slot: Slot, state, unit: Unit, seen, on_behalf_of: int | None = None
) -> Appointment:
    settings = state.settings
    # 代办: the booking is the principal's (their person key, limits and suspension; agency.py)
    who = await agency.booker(principal, on_behalf_of, item.code, settings)
    person = await person_of(who.owner_id, settings)
    if await allocation_of([slot.group_id], slot.date, item.id) == "lottery":
        raise lottery_day()
    await check_may_book(who.owner_id, person, item.id, slot.date)
    reserved = settings.booking_staff_reserved_percent
    places = citizen_places(slot.capacity, reserved)
    if one_statement.available() and who.grant is None:  # an agent's booking is audited: a transaction
        return await _book_in_one_statement(who.owner_id, person, item, slot, state, seen)

    async def work() -> Appointment:
        try:
            appointment = await give_place(
                who.owner_id,
                person,
                item,
                slot,
                settings,
                reserved_percent=reserved,
                source="direct",
                filing=who.filing,
            )
        except ApiError as refusal:
            if refusal.code == "SLOT_FULL":
                await full_cache.mark_full(state, slot.id, seen.epoch)
            raise
        await agency.after_booking(who, principal, appointment, slot, item.name, settings)
        if slot.booked >= places:  # the last place: later attempts are refused from the cache
            await db.after_commit(lambda: full_cache.mark_full(state, slot.id, seen.epoch))
        return appointment

    return await in_unit(unit, work)


async def _book_in_one_statement(user_id: int, person: str, item, slot: Slot, state, seen) -> Appointment:
    """Steps 1–4 of the module's docstring as one statement (PostgreSQL): the slot's row lock is held
    for no round trip through this process (``repository/one_statement.py``)."""
    settings = state.settings
    reserved = settings.booking_staff_reserved_percent
    outcome = await in_unit(
        contextlib.nullcontext,
        lambda: one_statement.book(  # a deadlock: again
            user_id=user_id,
            person=person,
            item_id=item.id,
            slot=slot,
            week=week_of(slot.date),
            weekly_limit=settings.booking_weekly_limit,
            reserved_percent=reserved,
            source="direct",
            now=clock.now(),
            payload=message_payload(Appointment(queue_number=None), slot, item.name),  # the id comes from SQL
        ),
    )
    if outcome.refused == "SLOT_FULL":
        await full_cache.mark_full(state, slot.id, seen.epoch)
        raise slot_full()
    if outcome.refused == "LIMIT_REACHED":
        raise limit_reached(settings)
    if outcome.refused or outcome.appointment is None:
        raise already_booked()
    slot.booked = outcome.booked
    await outbox.wake_after_commit()  # committed already: wakes the dispatcher now
    if slot.booked >= citizen_places(slot.capacity, reserved):  # later attempts: refused from the cache
        await full_cache.mark_full(state, slot.id, seen.epoch)
    return outcome.appointment
