"""Turning schedule templates into slots, lazily per (group, date) and idempotently.

Slots are made the first time a day is looked at (or by ``onetrip appointments generate-slots``);
the unique (group, date, mode, starts_at) key and INSERT … ON CONFLICT DO NOTHING make two
processes generating the same day at once harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from citizen_api import clock
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.models import HOLIDAY_TEMPLATE, MODE_HOLIDAY, WEEKDAYS
from citizen_api.appointments.repository import halls as repo


def template_days(day: date, mode: str) -> list[str]:
    """Template names to try, best first, for a day opened in ``mode``."""
    if mode == MODE_HOLIDAY:
        return [HOLIDAY_TEMPLATE]
    own = WEEKDAYS[day.weekday()]
    # a 调休 Saturday or Sunday works like a weekday: its own template if the group has one,
    # else the first weekday's hours
    return [own] if day.weekday() < 5 else [own, *WEEKDAYS[:5]]


def slot_times(day: date, periods: Iterable[dict]) -> list[tuple[datetime, datetime, int]]:
    """(start, end, capacity) of each slot of ``periods`` on ``day``, in UTC."""
    out: list[tuple[datetime, datetime, int]] = []
    for period in periods:
        length = timedelta(minutes=int(period["slot_minutes"]))
        start = datetime.combine(day, time.fromisoformat(period["start"]), clock.CST)
        end = datetime.combine(day, time.fromisoformat(period["end"]), clock.CST)
        while start + length <= end:
            out.append((start.astimezone(UTC), (start + length).astimezone(UTC), period["capacity"]))
            start += length
    return out


async def ensure_slots(group_ids: Iterable[int], day: date, mode: str) -> int:
    """Make the day's slots for groups that have none yet; returns how many were written."""
    wanted = set(group_ids)
    if not wanted:
        return 0
    missing = wanted - await repo.groups_with_slots(wanted, day, mode)
    if not missing:
        return 0
    names = template_days(day, mode)
    by_group: dict[int, dict[str, list]] = {}
    for template in await repo.templates_for(missing, names):
        by_group.setdefault(template.group_id, {})[template.day] = template.periods
    written = 0
    for group_id, available in by_group.items():
        periods = next((available[name] for name in names if available.get(name)), [])
        written += await repo.add_slots(group_id, day, mode, slot_times(day, periods))
    return written


async def generate_slots(start: date, end: date) -> int:
    """Make slots for every open day in [start, end] for every active group (idempotent)."""
    group_ids = await repo.active_group_ids()
    written = 0
    day = start
    while day <= end:
        mode = await day_mode(day)
        if mode.is_open:
            written += await ensure_slots(group_ids, day, mode.kind)
        day += timedelta(days=1)
    return written


async def drop_unused_future_slots(group_id: int) -> int:
    """After a template change: forget the group's future days nobody booked or waits on yet.

    Those days are remade from the new template when next looked at; a day with a booking keeps
    its slots (a citizen's booked time never moves).
    """
    return await repo.drop_unused_slots_after(group_id, clock.today())
