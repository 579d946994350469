"""The working-day clock of a case: deadline, suspension, and the date it turns yellow.

Rules (行政许可法 42/45条, the contract):
- promised working days are counted from the working day after acceptance; 即办 (0) is due the day
  of acceptance;
- working days in ``suspended`` (hearing, testing, expert review) are not counted: resuming moves
  the deadline by the working days the case spent suspended;
- a supplement request restarts the clock: the next acceptance computes everything anew.

The answers store ``deadline`` and ``yellow_on`` once per transition, so that the warning of any
number of cases is a date comparison (in SQL for the staff list, in Python for one case) and no
list ever walks the calendar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from citizen_api.workdays import service as workdays

# a deadline never lies further than this from its start (guards the calendar walks)
_MAX_SPAN_DAYS = 3 * 366

WARNING_LEVELS = ("none", "yellow", "red")  # what a case shows (``warning_of``)


@dataclass(frozen=True)
class Clock:
    deadline: date
    yellow_on: date
    uncertain: bool  # a year with no known official schedule was crossed (weekends-only count)


async def _is_working(day: date) -> tuple[bool, bool]:
    info = await workdays.day_info(day)
    return info.is_working_day, not info.known


async def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """Working days d with start < d <= end (0 when end <= start), and whether it is uncertain."""
    return await workdays.working_days_between(start, end)


async def add_working_days(start: date, days: int) -> tuple[date, bool]:
    result = await workdays.add_working_days(start, days)
    return result.date, result.uncertain


async def working_day_before(deadline: date, left: int) -> tuple[date, bool]:
    """The working day from which exactly ``left`` working days remain until ``deadline``."""
    day, counted, uncertain = deadline, 0, False
    for _ in range(_MAX_SPAN_DAYS):
        working, unknown = await _is_working(day)
        uncertain = uncertain or unknown
        if working:
            if counted == left:
                return day, uncertain
            counted += 1
        day -= timedelta(days=1)
    return day, uncertain


async def deadline_from(start: date, days: int, time_unit: str = "working_day") -> tuple[date, bool]:
    """``days`` after ``start`` (working days unless the item counts natural days)."""
    if days <= 0:
        return start, False
    if time_unit == "natural_day":
        return start + timedelta(days=days), False
    return await add_working_days(start, days)


async def yellow_from(start: date, deadline: date, promised_days: int, settings) -> tuple[date, bool]:
    """First day the case is yellow: ≤ N working days left, or ≥ the ratio of the time used.

    ``start`` is the day the clock (re)started (acceptance or resumption); the share used is of
    the whole promised time, so it is expressed as "working days left" too.
    """
    by_ratio = promised_days - math.ceil(settings.warning_yellow_used_ratio * promised_days - 1e-9)
    left = max(settings.warning_yellow_days_left, by_ratio)
    if left >= promised_days:
        return start, False
    day, uncertain = await working_day_before(deadline, left)
    return max(day, start), uncertain


@dataclass(frozen=True)
class MaterialsDue:
    """The date owed materials must follow by (补正, 容缺), and the day the citizen is reminded."""

    due: date
    remind_on: date | None  # None: the request itself is the reminder (the due is that close)
    uncertain: bool  # a year with no known official schedule was crossed (weekends-only count)


async def materials_due(start: date, days: int, remind_left: int) -> MaterialsDue:
    """``days`` working days after ``start``; reminded when ``remind_left`` working days are left."""
    due, uncertain = await add_working_days(start, days)
    remind, remind_uncertain = await working_day_before(due, remind_left)
    return MaterialsDue(due, remind if remind > start else None, uncertain or remind_uncertain)


async def on_accept(accepted_on: date, promised_days: int, time_unit: str, settings) -> Clock:
    deadline, uncertain = await deadline_from(accepted_on, promised_days, time_unit)
    yellow, yellow_uncertain = await yellow_from(accepted_on, deadline, promised_days, settings)
    return Clock(deadline, yellow, uncertain or yellow_uncertain)


async def on_resume(
    deadline: date, suspended_on: date, resumed_on: date, promised_days: int, time_unit: str, settings
) -> tuple[Clock, int]:
    """The deadline moved by the time spent suspended; also returns the days not counted."""
    if time_unit == "natural_day":
        paused = max(0, (resumed_on - suspended_on).days)
        moved, uncertain = deadline + timedelta(days=paused), False
    else:
        paused, uncertain = await working_days_between(suspended_on, resumed_on)
        moved, moved_uncertain = (
            (deadline, False) if paused == 0 else await add_working_days(deadline, paused)
        )
        uncertain = uncertain or moved_uncertain
    yellow, yellow_uncertain = await yellow_from(resumed_on, moved, promised_days, settings)
    # the part of the promised time already used before the suspension still counts
    return Clock(moved, yellow, uncertain or yellow_uncertain), paused


def warning_on(today: date, deadline: date | None, yellow_on: date | None) -> str:
    if deadline is None:
        return "none"
    if today > deadline:
        return "red"
    if yellow_on is not None and today >= yellow_on:
        return "yellow"
    return "none"


OPEN_CLOCK = ("accepted",)  # the clock runs; ``suspended`` keeps the warning it had


def warning_of(case, today: date) -> str:
    """The warning a user sees now: computed for running clocks, frozen while suspended."""
    if case.status in OPEN_CLOCK:
        return warning_on(today, case.deadline, case.yellow_on)
    if case.status == "suspended":
        return case.warning
    return "none"
