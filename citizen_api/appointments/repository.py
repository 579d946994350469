"""Queries of the appointment domain (reads; the counters live in atomic.py)."""

from __future__ import annotations

from datetime import date, datetime

from citizen_api.appointments.models import (
    Appointment,
    BookingSuspension,
    Slot,
    WaitlistEntry,
    WindowGroup,
)
from citizen_api.catalog.models import ServiceItem
from citizen_api.errors import ApiError


async def bookable_item(code: str) -> ServiceItem:
    item = await ServiceItem.get_or_none(code=code, is_published=True)
    if item is None:
        raise ApiError(404, "NOT_FOUND", "未找到该事项")
    if not item.bookable:
        raise ApiError(409, "NOT_BOOKABLE", "该事项不支持预约")
    return item


async def group_ids_for_item(item_id: int) -> list[int]:
    return list(await WindowGroup.filter(items__id=item_id, is_active=True).values_list("id", flat=True))


async def slot_for_item(slot_id: int, item_id: int) -> Slot | None:
    """The slot (with group and hall) if an active group serving the item owns it: one query."""
    return (
        await Slot.filter(id=slot_id, group__is_active=True, group__items__id=item_id)
        .select_related("group__office")
        .first()
    )


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


async def active_suspension(user_id: int, today: date) -> BookingSuspension | None:
    return await BookingSuspension.filter(user_id=user_id, until__gt=today).order_by("-until").first()


def active_key(user_id: int, item_id: int, day: date) -> str:
    return f"{user_id}:{item_id}:{day.isoformat()}"


async def has_active_booking(user_id: int, item_id: int, day: date) -> bool:
    return await Appointment.exists(active_key=active_key(user_id, item_id, day))


async def appointment_of(appointment_id: int, user_id: int | None = None) -> Appointment:
    """The appointment (with slot, group, office, item); another citizen's one is 404."""
    query = Appointment.filter(id=appointment_id)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    found = await query.select_related("slot__group__office", "item", "item__department").first()
    if found is None:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    return found


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


async def waiting_position(entry: WaitlistEntry) -> int:
    ahead = await WaitlistEntry.filter(slot_id=entry.slot_id, status="waiting", id__lt=entry.id).count()
    return ahead + 1


async def first_waiters(slot_id: int, limit: int = 20) -> list[WaitlistEntry]:
    return await WaitlistEntry.filter(slot_id=slot_id, status="waiting").order_by("id").limit(limit)
