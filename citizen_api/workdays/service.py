"""Working days: chinese-calendar (holidays and 调休 make-up workdays, 2004–2026) plus overrides.

This is the interface every domain uses. It never guesses silently: a date in a year that
neither chinese-calendar nor an imported schedule knows is reported with ``known=False``, and
deadline arithmetic that crosses such a year says ``uncertain=True``.

Lookups are answered from a per-process cache (``cache.py``): no query per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.workdays import cache
from citizen_api.workdays import repository as repo
from citizen_api.workdays.days import DayInfo, DayKindName, Deadline, Snapshot, builtin
from citizen_api.workdays.schedule import YearSchedule, check

__all__ = [
    "DayInfo",
    "DayKindName",
    "Deadline",
    "ImportPreview",
    "ImportResult",
    "add_working_days",
    "day_info",
    "days_info",
    "import_schedule",
    "preview_import",
    "remove_override",
    "set_override",
    "working_days_between",
]

MAX_SPAN_DAYS = 366 * 20  # deadline arithmetic further than this is a caller's bug


async def calendar_token() -> str | None:
    """Changes with every calendar write (an admin's day, an imported year): part of the key of any
    answer derived from the days that is kept for a while (the appointment listings)."""
    return (await cache.snapshot()).token


async def day_info(day: date) -> DayInfo:
    return (await cache.snapshot()).resolve(day)


async def days_info(start: date, end: date) -> list[DayInfo]:
    """Every day from ``start`` to ``end`` inclusive (empty when end < start)."""
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("date range too long")
    snap = await cache.snapshot()
    return [snap.resolve(start + timedelta(days=i)) for i in range((end - start).days + 1)]


async def add_working_days(start: date, days: int) -> Deadline:
    """The date ``days`` working days after ``start`` (counting from the next working day).

    ``days=0`` answers ``start`` itself. ``uncertain`` when a day of an unknown year was crossed.
    """
    if not 0 <= days <= MAX_SPAN_DAYS // 2:
        raise ValueError(f"days out of range: {days}")
    snap = await cache.snapshot()
    current = start
    counted = 0
    uncertain = False
    while counted < days:
        current += timedelta(days=1)
        info = snap.resolve(current)
        uncertain = uncertain or not info.known
        if info.is_working_day:
            counted += 1
    return Deadline(current, uncertain)


async def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """(working days d with start < d <= end, uncertain); ``(0, False)`` when end <= start.

    E.g. days used since acceptance = ``working_days_between(accepted_on, today)``; days left =
    ``working_days_between(today, deadline)``; days overdue = ``working_days_between(deadline, today)``.
    """
    if end <= start:
        return 0, False
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("date range too long")
    snap = await cache.snapshot()
    count = 0
    uncertain = False
    for offset in range(1, (end - start).days + 1):
        info = snap.resolve(start + timedelta(days=offset))
        uncertain = uncertain or not info.known
        count += info.is_working_day
    return count, uncertain


# -- writes (admin endpoint and the import command); callers run them in a transaction --

ADMIN_KINDS = ("holiday_service", "closed", "workday")


async def set_override(day: date, kind: str, note: str, actor: Principal | None) -> None:
    """An admin's decision for one day: open it for appointments, close it, or make it a workday."""
    if kind not in ADMIN_KINDS:
        raise ValueError(f"kind must be one of {ADMIN_KINDS}")
    before = await repo.admin_row(day)
    await repo.put_admin(day, kind, note, actor.user_id if actor else None)
    cache.expire_check()  # this process sees its own change at once
    await record(
        actor,
        "calendar.override",
        "calendar_day",
        day.isoformat(),
        {
            "kind": kind,
            "note": note,
            "before": {"kind": before.kind, "note": before.name} if before else None,
        },
    )


async def remove_override(day: date, actor: Principal | None) -> None:
    before = await repo.admin_row(day)
    if before is None:
        raise ApiError(404, "NOT_FOUND", "该日期没有管理员设置")
    await repo.delete_admin(day)
    cache.expire_check()
    await record(
        actor,
        "calendar.override_removed",
        "calendar_day",
        day.isoformat(),
        {"before": {"kind": before.kind, "note": before.name}},
    )


@dataclass(frozen=True)
class ImportResult:
    year: int
    holiday_dates: int
    workday_dates: int
    kept_admin: list[tuple[date, str, str]]  # (day, kind, note) admin overrides left in place
    beyond_builtin: bool  # the year is outside chinese-calendar's range (the import makes it known)


async def import_schedule(schedule: YearSchedule, actor: Principal | None = None) -> ImportResult:
    """Replace the year's imported schedule (idempotent). Admin overrides are another layer: kept."""
    check(schedule)
    holidays = schedule.holiday_dates()
    workdays = sorted(set(schedule.workdays))
    await repo.replace_import(schedule.year, holidays, workdays)
    cache.expire_check()
    kept = [(row.day, row.kind, row.name) for row in await repo.admin_rows_in_year(schedule.year)]
    await record(
        actor,
        "calendar.import",
        "calendar_year",
        schedule.year,
        {"holidays": len(holidays), "workdays": len(workdays), "kept_admin": len(kept)},
    )
    return ImportResult(
        schedule.year,
        len(holidays),
        len(workdays),
        kept,
        beyond_builtin=not builtin(date(schedule.year, 7, 1)).known,
    )


@dataclass(frozen=True)
class ImportPreview:
    year: int
    known_before: bool  # the year was known (built-in calendar or an earlier import)
    holidays: int  # holiday dates in the schedule
    workdays: int  # make-up workdays in the schedule
    changes: list[tuple[date, str | None, str, str]]  # (day, name after, kind before, kind after)


async def preview_import(schedule: YearSchedule) -> ImportPreview:
    """What importing ``schedule`` would change, day by day (nothing is written). A day of a year not
    known before shows ``unknown`` as its kind before; admin overrides stay on top, as they would."""
    check(schedule)
    snap = await cache.snapshot()
    year = schedule.year
    known_before = year in snap.years or builtin(date(year, 7, 1)).known
    imported = {day: entry for day, entry in snap.imported.items() if day.year != year}
    imported.update({day: ("holiday", name) for day, name in schedule.holiday_dates().items()})
    imported.update({day: ("workday", "调休上班") for day in schedule.workdays})
    after = Snapshot(years=snap.years | {year}, imported=imported, admin=dict(snap.admin))
    changes = []
    day = date(year, 1, 1)
    while day.year == year:
        old, new = snap.resolve(day), after.resolve(day)
        old_kind = old.kind if old.known else "unknown"
        if (old_kind, old.name) != (new.kind, new.name):
            changes.append((day, new.name, old_kind, new.kind))
        day += timedelta(days=1)
    holidays = schedule.holiday_dates()
    return ImportPreview(year, known_before, len(holidays), len(set(schedule.workdays)), changes)
