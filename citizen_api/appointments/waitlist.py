"""The waiting list of a full slot: a cancelled place goes to the first waiter who still qualifies.

Joining and handing over both hold the slot's row lock, so a place freed while someone joins is
either seen by the joiner (409 SLOT_AVAILABLE: book it) or handed to them; and two
cancellations of one slot promote two different waiters, each exactly once.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.appointments import hot
from citizen_api.appointments.booking import check_may_book, checked_slot, person_of
from citizen_api.appointments.models import Appointment, Slot, WaitlistEntry
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import counters
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.rules import citizen_places, week_of
from citizen_api.appointments.schemas import BookBody, WaitlistOut
from citizen_api.appointments.transitions import LEFT, WAITING, WAITLIST
from citizen_api.appointments.views import message_payload, waitlist_out
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from notifications import outbox


async def join(principal: Principal, body: BookBody, state, unit: Unit) -> WaitlistOut:
    settings = state.settings
    item = await hot.item(state, body.item_code)
    slot = await checked_slot(state, body.slot_id, item, settings)
    person = await person_of(principal.user_id, settings)
    await check_may_book(principal.user_id, person, item.id, slot.date)
    places = citizen_places(slot.capacity, settings.booking_staff_reserved_percent)

    async def work() -> WaitlistEntry:
        await counters.lock_slot(slot.id)
        fresh = await repo.slot_by_id(slot.id)
        if fresh.booked < places:
            raise ApiError(409, "SLOT_AVAILABLE", "该时段尚有名额，请直接预约")
        try:
            return await repo.create_wait(slot.id, principal.user_id, item.id)
        except IntegrityError:
            raise ApiError(409, "ALREADY_WAITING", "您已在该时段的候补名单中") from None

    entry = await in_unit(unit, work)
    entry.slot = slot
    return waitlist_out(entry, await repo.waiting_position(entry), item)


async def my_waits(principal: Principal) -> list[WaitlistOut]:
    entries = await repo.my_waits(principal.user_id, clock.today())
    return [waitlist_out(e, await repo.waiting_position(e) if e.status == WAITING else None) for e in entries]


async def leave(principal: Principal, entry_id: int) -> WaitlistOut:
    entry = await repo.wait_of(entry_id, principal.user_id)
    if entry is None:
        raise ApiError(404, "NOT_FOUND", "未找到该候补")
    if not await repo.move_wait(entry.id, "leave", resolved_at=clock.now()):
        raise WAITLIST.refuse("leave", entry.status)
    entry.status = LEFT
    return waitlist_out(entry, None)


async def hand_over(slot: Slot, settings) -> Appointment | None:
    """With the slot locked and one of its places freed: book it for the first qualifying waiter.

    Returns the new appointment, or None when nobody qualifies (the caller then frees the place).
    Waiters who no longer qualify (suspended, already booked that day, weekly limit) are skipped.
    """
    if slot.starts_at < clock.now():
        return None
    while True:
        waiters = await repo.first_waiters(slot.id)
        if not waiters:
            return None
        for entry in waiters:
            appointment = await _promote(entry, slot, settings)
            if appointment is not None:
                return appointment


async def _promote(entry: WaitlistEntry, slot: Slot, settings) -> Appointment | None:
    item = entry.item  # the catalog item, loaded with the entry
    person = await users.person_key(entry.user_id) or f"u{entry.user_id}"
    qualifies = (
        item.is_published
        and item.bookable
        and await repo.active_suspension(entry.user_id, clock.today()) is None
        and not await repo.has_active_booking(person, item.id, slot.date)
    )
    appointment = await _book_for(entry, person, slot, settings) if qualifies else None
    resolved = await repo.move_wait(
        entry.id,
        "promote" if appointment else "skip",
        appointment_id=appointment.id if appointment else None,
        resolved_at=clock.now(),
    )
    if not resolved:  # left the list meanwhile: undo the booking made for them
        if appointment is not None:
            await counters.release_weekly_quota(person, week_of(slot.date))
            await repo.delete_appointment(appointment.id)
        return None
    if appointment is not None:
        await outbox.enqueue(
            entry.user_id,
            "appointment.promoted",
            message_payload(appointment, slot, item.name),
            dedupe_key=f"appointment:promoted:{appointment.id}",
        )
    return appointment


class _Refused(Exception):
    pass


async def _book_for(entry: WaitlistEntry, person: str, slot: Slot, settings) -> Appointment | None:
    """Book inside a savepoint: a conflict skips this waiter without aborting the cancellation."""
    try:
        async with db.atomic():  # a savepoint of the cancellation's unit of work
            appointment = await repo.create_appointment(
                entry.user_id, entry.item_id, slot, "waitlist", person=person
            )
            if not await counters.take_weekly_quota(
                person, entry.user_id, week_of(slot.date), settings.booking_weekly_limit
            ):
                raise _Refused
            return appointment
    except (IntegrityError, _Refused):
        return None
