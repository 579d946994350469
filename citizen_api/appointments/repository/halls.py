"""Halls, window groups, their windows and schedule templates, and the slots made from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from citizen_api.appointments.models import (
    Appointment,
    Office,
    ScheduleTemplate,
    Slot,
    WaitlistEntry,
    Window,
    WindowGroup,
)
from citizen_api.appointments.repository.sql import run

_GROUP_DETAILS = ("items", "windows", "office")

# -- offices and window groups ----------------------------------------------------------------------


async def offices() -> list[Office]:
    return await Office.all().order_by("id")


async def groups_with_details() -> list[WindowGroup]:
    return await WindowGroup.all().prefetch_related(*_GROUP_DETAILS).order_by("id")


async def office_exists(code: str) -> bool:
    return await Office.exists(code=code)


async def create_office(values: dict[str, Any]) -> Office:
    return await Office.create(**values)


async def office_by_code(code: str) -> Office | None:
    return await Office.get_or_none(code=code)


async def group_code_or_prefix_taken(code: str, office_id: int, prefix: str) -> bool:
    return await WindowGroup.exists(code=code) or await WindowGroup.exists(office_id=office_id, prefix=prefix)


async def prefix_taken_by_other(office_id: int, prefix: str, group_id: int) -> bool:
    return await WindowGroup.filter(office_id=office_id, prefix=prefix).exclude(id=group_id).exists()


async def create_group(office_id: int, values: dict[str, Any]) -> WindowGroup:
    """INSERT; raises IntegrityError when the code or the office's prefix was taken meanwhile."""
    return await WindowGroup.create(office_id=office_id, **values)


async def group_by_id(group_id: int) -> WindowGroup | None:
    return await WindowGroup.get_or_none(id=group_id)


async def group_by_code(code: str) -> WindowGroup | None:
    """The group with its hall."""
    return await WindowGroup.filter(code=code).select_related("office").first()


async def group_with_details(group_id: int) -> WindowGroup:
    return await WindowGroup.get(id=group_id).prefetch_related(*_GROUP_DETAILS)


async def update_group(group_id: int, values: dict[str, Any]) -> None:
    await WindowGroup.filter(id=group_id).update(**values)


# The group ↔ catalog item link table is this domain's (``WindowGroup.items``); it is written by id,
# as the catalog hands other domains read-only copies of its items, not rows.
_LINK = "appt_group_items"
_GROUP_KEY, _ITEM_KEY = "appt_window_groups_id", "serviceitem_id"


async def group_item_ids(group_id: int) -> set[int]:
    rows = await run(f"SELECT {_ITEM_KEY} AS id FROM {_LINK} WHERE {_GROUP_KEY} = $1", group_id)
    return {int(row["id"]) for row in rows}


async def add_group_items(group_id: int, item_ids: Iterable[int]) -> None:
    for item_id in sorted(set(item_ids) - await group_item_ids(group_id)):
        await run(f"INSERT INTO {_LINK} ({_GROUP_KEY}, {_ITEM_KEY}) VALUES ($1, $2)", group_id, item_id)


async def set_group_items(group_id: int, item_ids: Iterable[int]) -> None:
    """The catalog items the group's counters serve, replacing the old list."""
    await run(f"DELETE FROM {_LINK} WHERE {_GROUP_KEY} = $1", group_id)
    await add_group_items(group_id, item_ids)


async def replace_windows(group_id: int, windows: Iterable[dict[str, Any]]) -> None:
    """The group's windows become these, matched by number: a kept window keeps its id (and so the
    clerks assigned to it); a window left out is deleted (its assignments with it)."""
    wanted = {window["number"]: window for window in windows}
    await Window.filter(group_id=group_id).exclude(number__in=list(wanted)).delete()
    existing = {w.number: w for w in await Window.filter(group_id=group_id)}
    for number, window in wanted.items():
        if number in existing:
            fields = {k: v for k, v in window.items() if k != "number"}
            await Window.filter(id=existing[number].id).update(**fields)
        else:
            await Window.create(group_id=group_id, **window)


async def active_group_ids() -> list[int]:
    return list(await WindowGroup.filter(is_active=True).values_list("id", flat=True))


# -- schedule templates and slots -------------------------------------------------------------------


async def templates_of(group_id: int, days: Iterable[str] | None = None) -> list[ScheduleTemplate]:
    query = ScheduleTemplate.filter(group_id=group_id)
    if days is not None:
        query = query.filter(day__in=list(days))
    return await query


async def templates_for(group_ids: Iterable[int], days: Iterable[str]) -> list[ScheduleTemplate]:
    return await ScheduleTemplate.filter(group_id__in=list(group_ids), day__in=list(days))


async def replace_templates(group_id: int, days: dict[str, list[dict[str, Any]]]) -> None:
    await ScheduleTemplate.filter(group_id=group_id).delete()
    for day, periods in days.items():
        if periods:
            await ScheduleTemplate.create(group_id=group_id, day=day, periods=periods)


async def groups_with_slots(group_ids: Iterable[int], day: date, mode: str) -> set[int]:
    rows = (
        await Slot.filter(group_id__in=list(group_ids), date=day, mode=mode)
        .distinct()
        .values_list("group_id", flat=True)
    )
    return set(rows)


async def add_slots(
    group_id: int, day: date, mode: str, times: Iterable[tuple[datetime, datetime, int]]
) -> int:
    """INSERT … ON CONFLICT DO NOTHING: two processes making the same day at once are harmless."""
    rows = [
        Slot(group_id=group_id, date=day, mode=mode, starts_at=start, ends_at=end, capacity=capacity)
        for start, end, capacity in times
    ]
    if rows:
        await Slot.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


async def drop_unused_slots_after(group_id: int, after: date) -> int:
    """Delete the group's slots of days after ``after`` that nobody booked or waits on."""
    used_days = set(
        await Appointment.filter(slot__group_id=group_id, date__gt=after).values_list("date", flat=True)
    )
    used_days |= set(
        await WaitlistEntry.filter(slot__group_id=group_id, slot__date__gt=after).values_list(
            "slot__date", flat=True
        )
    )
    query = Slot.filter(group_id=group_id, date__gt=after)
    if used_days:
        query = query.exclude(date__in=used_days)
    return await query.delete()
