"""The waiting list of a full slot: a cancelled place goes to the first waiter who still qualifies.

Joining and handing over both hold the slot's row lock, so a place freed while someone joins is
either seen by the joiner (409 SLOT_AVAILABLE: book it) or handed to them; and two
cancellations of one slot promote two different waiters, each exactly once.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.appointments import atomic
from citizen_api.appointments import repository as repo
from citizen_api.appointments.booking import check_may_book, checked_slot, create_appointment, week_of
from citizen_api.appointments.models import Appointment, Slot, WaitlistEntry
from citizen_api.appointments.present import message_payload, waitlist_out
from citizen_api.appointments.schemas import BookBody, WaitlistOut
from citizen_api.catalog.models import ServiceItem
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from notifications import outbox

WAITING = "waiting"


async def join(principal: Principal, body: BookBody, settings) -> WaitlistOut:
    item = await repo.bookable_item(body.item_code)
    slot = await checked_slot(body.slot_id, item, settings)
    await check_may_book(principal.user_id, item, slot.date)

    async def work() -> WaitlistEntry:
        await atomic.lock_slot(slot.id)
        fresh = await Slot.get(id=slot.id)
        if fresh.booked < fresh.capacity:
            raise ApiError(409, "SLOT_AVAILABLE", "该时段尚有名额，请直接预约")
        try:
            return await WaitlistEntry.create(
                slot_id=slot.id,
                user_id=principal.user_id,
                item_id=item.id,
                active_key=f"{slot.id}:{principal.user_id}",
            )
        except IntegrityError:
            raise ApiError(409, "ALREADY_WAITING", "您已在该时段的候补名单中") from None

    entry = await atomic.run_atomic(work)
    entry.slot, entry.item = slot, item
    return waitlist_out(entry, await repo.waiting_position(entry))


async def my_waits(principal: Principal) -> list[WaitlistOut]:
    entries = (
        await WaitlistEntry.filter(user_id=principal.user_id, slot__date__gte=clock.today())
        .select_related("slot__group__office", "item")
        .order_by("-id")
        .limit(100)
    )
    return [waitlist_out(e, await repo.waiting_position(e) if e.status == WAITING else None) for e in entries]


async def leave(principal: Principal, entry_id: int) -> WaitlistOut:
    entry = (
        await WaitlistEntry.filter(id=entry_id, user_id=principal.user_id)
        .select_related("slot__group__office", "item")
        .first()
    )
    if entry is None:
        raise ApiError(404, "NOT_FOUND", "未找到该候补")
    changed = await WaitlistEntry.filter(id=entry.id, status=WAITING).update(
        status="left", active_key=None, resolved_at=clock.now()
    )
    if not changed:
        raise ApiError(409, "NOT_WAITING", "该候补已结束", {"status": entry.status})
    entry.status = "left"
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
    item = await ServiceItem.get(id=entry.item_id)
    qualifies = (
        item.is_published
        and item.bookable
        and await repo.active_suspension(entry.user_id, clock.today()) is None
        and not await repo.has_active_booking(entry.user_id, item.id, slot.date)
    )
    appointment = await _book_for(entry, item, slot, settings) if qualifies else None
    resolved = await WaitlistEntry.filter(id=entry.id, status=WAITING).update(
        status="promoted" if appointment else "skipped",
        active_key=None,
        appointment_id=appointment.id if appointment else None,
        resolved_at=clock.now(),
    )
    if not resolved:  # left the list meanwhile: undo the booking made for them
        if appointment is not None:
            await atomic.release_weekly_quota(entry.user_id, week_of(slot.date))
            await appointment.delete()
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


async def _book_for(entry: WaitlistEntry, item: ServiceItem, slot: Slot, settings) -> Appointment | None:
    """Book inside a savepoint: a conflict skips this waiter without aborting the cancellation."""
    try:
        async with db.atomic():
            appointment = await create_appointment(entry.user_id, item, slot, "waitlist")
            if not await atomic.take_weekly_quota(
                entry.user_id, week_of(slot.date), settings.booking_weekly_limit
            ):
                raise _Refused
            return appointment
    except (IntegrityError, _Refused):
        return None
