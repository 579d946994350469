"""Slots as citizens see them, appointments, the waiting list and booking suspensions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from citizen_api.appointments.models import Appointment, BookingSuspension, Slot, WaitlistEntry, WindowGroup
from citizen_api.appointments.repository.lifecycles import move
from citizen_api.appointments.repository.sql import run
from citizen_api.appointments.transitions import APPOINTMENTS, BOOKED, CANCELLED, NO_SHOW, WAITING, WAITLIST
from citizen_api.errors import ApiError

# -- slots ------------------------------------------------------------------------------------------


async def group_ids_for_item(item_id: int) -> list[int]:
    return list(await WindowGroup.filter(items__id=item_id, is_active=True).values_list("id", flat=True))


async def slot_for_item(slot_id: int, item_id: int) -> Slot | None:
    """The slot (with group and hall) if an active group serving the item owns it: one query."""
    return (
        await Slot.filter(id=slot_id, group__is_active=True, group__items__id=item_id)
        .select_related("group__office")
        .first()
    )


async def slot_by_id(slot_id: int) -> Slot:
    return await Slot.get(id=slot_id)


async def slots_of(group_ids: list[int], day: date, mode: str, not_before: datetime) -> list[Slot]:
    return (
        await Slot.filter(group_id__in=group_ids, date=day, mode=mode, starts_at__gte=not_before)
        .select_related("group__office")
        .order_by("starts_at", "group_id")
    )


async def slots_between(group_ids: list[int], start: date, end: date) -> list[Slot]:
    return await Slot.filter(group_id__in=group_ids, date__gte=start, date__lte=end).only(
        "id", "date", "mode", "starts_at", "capacity", "booked"
    )


# -- appointments -----------------------------------------------------------------------------------


def active_key(person: str, item_id: int, day: date) -> str:
    """``person`` is the booking identity (``booking.person_of``): one per real name."""
    return f"{person}:{item_id}:{day.isoformat()}"


def person_of_key(key: str | None) -> str | None:
    """The person an active booking counts for (None once cancelled)."""
    return key.rsplit(":", 2)[0] if key else None


async def has_active_booking(person: str, item_id: int, day: date) -> bool:
    return await Appointment.exists(active_key=active_key(person, item_id, day))


async def create_appointment(
    user_id: int,
    item_id: int,
    slot: Slot,
    source: str,
    *,
    person: str | None = None,
    filing: dict[str, Any] | None = None,
) -> Appointment:
    """INSERT; the unique active_key raises IntegrityError for a second booking of that item and day
    by the same person (``person``; the account itself when None). ``filing``: who booked it for
    the citizen (``filed_by``, ``actor_id``, ``authorisation_id``; appointments/agency.py)."""
    return await Appointment.create(
        **(filing or {}),
        user_id=user_id,
        item_id=item_id,
        slot_id=slot.id,
        date=slot.date,
        starts_at=slot.starts_at,
        status=BOOKED,
        active_key=active_key(person or f"u{user_id}", item_id, slot.date),
        source=source,
    )


async def delete_appointment(appointment_id: int) -> None:
    await Appointment.filter(id=appointment_id).delete()


async def move_appointment(appointment_id: int, action: str, **fields: Any) -> bool:
    """``transitions.APPOINTMENTS``; a cancelled booking no longer holds its day (``active_key``)."""
    if APPOINTMENTS.target(action) == CANCELLED:
        fields["active_key"] = None
    return await move(Appointment, APPOINTMENTS, appointment_id, action, **fields)


async def appointment_of(appointment_id: int, user_id: int | None = None) -> Appointment:
    """The appointment (with slot, group, office, item); another citizen's one is 404."""
    query = Appointment.filter(id=appointment_id)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    found = await query.select_related("slot__group__office", "item", "item__department").first()
    if found is None:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    return found


async def own_appointment(appointment_id: int, user_id: int) -> Appointment | None:
    query = Appointment.filter(id=appointment_id, user_id=user_id)
    return await query.select_related("item__department").first()


async def appointment_by_id(appointment_id: int) -> Appointment:
    return await Appointment.get(id=appointment_id)


async def set_queue_number(appointment_id: int, number: str) -> None:
    await Appointment.filter(id=appointment_id).update(queue_number=number)


async def my_appointments(user_id: int, status: str | None, offset: int, limit: int):
    query = Appointment.filter(user_id=user_id)
    if status:
        query = query.filter(status=status)
    total = await query.count()
    rows = (
        await query.select_related("slot__group__office", "item")
        .order_by("-starts_at", "-id")
        .offset(offset)
        .limit(limit)
    )
    return total, rows


async def booked_batch(
    after_id: int,
    limit: int,
    *,
    on: date | None = None,
    starts_after: datetime | None = None,
    starts_until: datetime | None = None,
) -> list[Appointment]:
    """Booked appointments (with slot, hall and item) by id, for the reminders: on a day or starting
    in (starts_after, starts_until]."""
    query = Appointment.filter(status=BOOKED, id__gt=after_id)
    if on is not None:
        query = query.filter(date=on)
    if starts_after is not None:
        query = query.filter(starts_at__gt=starts_after)
    if starts_until is not None:
        query = query.filter(starts_at__lte=starts_until)
    return await query.select_related("slot__group__office", "item").order_by("id").limit(limit)


async def day_bookings(
    day: date,
    group_ids: list[int] | None,
    offset: int,
    limit: int,
    *,
    user_ids: list[int] | None = None,
    check_in_code: str | None = None,
) -> tuple[int, list[Appointment]]:
    """A day's bookings at the hall (``group_ids`` None: every group), in slot order, with slot
    and item; narrowed to some citizens or one check-in code."""
    query = Appointment.filter(date=day)
    if group_ids is not None:
        query = query.filter(slot__group_id__in=group_ids)
    if user_ids is not None:
        query = query.filter(user_id__in=user_ids)
    if check_in_code is not None:
        query = query.filter(check_in_code=check_in_code)
    total = await query.count()
    rows = (
        await query.select_related("slot__group", "item")
        .order_by("starts_at", "id")
        .offset(offset)
        .limit(limit)
    )
    return total, rows


async def appointment_id_by_code(code: str) -> int | None:
    return await Appointment.filter(check_in_code=code).first().values_list("id", flat=True)


# -- suspensions after no-shows ---------------------------------------------------------------------


async def may_book_facts(
    user_id: int, person: str, item_id: int, day: date, today: date
) -> tuple[date | None, bool]:
    """(the end of the account's suspension if one runs on ``today``, whether ``person`` holds a
    booking of ``item_id`` on ``day``) in one round trip: a release rush's winners wait one loop
    turn of a busy process per round trip."""
    rows = await run(
        "SELECT (SELECT until FROM appt_suspensions WHERE user_id = $1 AND until > $2 "
        "ORDER BY until DESC LIMIT 1) AS until, "
        "EXISTS (SELECT 1 FROM appt_appointments WHERE active_key = $3) AS booked",
        user_id,
        today,
        active_key(person, item_id, day),
    )
    until = rows[0]["until"]
    if isinstance(until, str):  # SQLite answers text
        until = date.fromisoformat(until)
    return until, bool(rows[0]["booked"])


async def active_suspension(user_id: int, today: date) -> BookingSuspension | None:
    return await BookingSuspension.filter(user_id=user_id, until__gt=today).order_by("-until").first()


async def no_shows_counting(user_id: int, since_day: date) -> int:
    """No-shows dated after ``since_day`` and marked after the citizen's last suspension."""
    query = Appointment.filter(user_id=user_id, status=NO_SHOW, date__gt=since_day)
    last = await BookingSuspension.filter(user_id=user_id).order_by("-created_at").first()
    if last is not None:
        query = query.filter(no_show_at__gt=last.created_at)
    return await query.count()


async def create_suspension(user_id: int, starts: date, until: date, no_shows: int) -> None:
    await BookingSuspension.create(user_id=user_id, starts=starts, until=until, no_shows=no_shows)


# -- the waiting list -------------------------------------------------------------------------------


async def create_wait(slot_id: int, user_id: int, item_id: int) -> WaitlistEntry:
    """INSERT; the unique active_key raises IntegrityError when the citizen already waits on the slot."""
    return await WaitlistEntry.create(
        slot_id=slot_id, user_id=user_id, item_id=item_id, active_key=f"{slot_id}:{user_id}"
    )


async def my_waits(user_id: int, from_day: date, limit: int = 100) -> list[WaitlistEntry]:
    return (
        await WaitlistEntry.filter(user_id=user_id, slot__date__gte=from_day)
        .select_related("slot__group__office", "item")
        .order_by("-id")
        .limit(limit)
    )


async def wait_of(entry_id: int, user_id: int) -> WaitlistEntry | None:
    return (
        await WaitlistEntry.filter(id=entry_id, user_id=user_id)
        .select_related("slot__group__office", "item")
        .first()
    )


async def move_wait(entry_id: int, action: str, **fields: Any) -> bool:
    """``transitions.WAITLIST``; an entry that is no longer waiting frees its slot (``active_key``)."""
    return await move(WaitlistEntry, WAITLIST, entry_id, action, active_key=None, **fields)


async def waiting_position(entry: WaitlistEntry) -> int:
    ahead = await WaitlistEntry.filter(slot_id=entry.slot_id, status=WAITING, id__lt=entry.id).count()
    return ahead + 1


async def first_waiters(slot_id: int, limit: int = 20) -> list[WaitlistEntry]:
    """The slot's waiters in the order they joined, each with the catalog item they wait for."""
    query = WaitlistEntry.filter(slot_id=slot_id, status=WAITING).select_related("item")
    return await query.order_by("id").limit(limit)
