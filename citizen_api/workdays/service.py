"""Working days: chinese-calendar (holidays and 调休 make-up workdays, 2004–2026) plus overrides.

This is the interface every domain uses. It never guesses silently: a date in a year that
neither chinese-calendar nor an imported schedule knows is reported with ``known=False``, and
deadline arithmetic that crosses such a year says ``uncertain=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import chinese_calendar

DayKindName = Literal["workday", "makeup_workday", "weekend", "holiday", "holiday_service", "closed"]


@dataclass(frozen=True)
class DayInfo:
    date: date
    kind: DayKindName
    known: bool  # False: the year's official schedule is unknown; kind falls back to weekends only
    name: str | None = None  # holiday name (国庆节 …) or the admin's note

    @property
    def is_working_day(self) -> bool:
        """A day the clock of a case runs (holiday_service days are appointment-only, not counted)."""
        return self.kind in ("workday", "makeup_workday")


@dataclass(frozen=True)
class Deadline:
    date: date
    uncertain: bool  # True when a year with no known schedule was crossed (weekends-only count)


def _builtin(day: date) -> DayInfo:
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return DayInfo(day, "weekend" if day.weekday() >= 5 else "workday", known=False)
    weekend = day.weekday() >= 5
    if is_holiday:
        # a weekend inside a holiday period carries the holiday's name; a plain weekend does not
        return DayInfo(day, "holiday" if name else "weekend", True, _holiday_name(name))
    return DayInfo(day, "makeup_workday" if weekend else "workday", True)


def _holiday_name(name) -> str | None:
    if not name:
        return None
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return str(name)


async def day_info(day: date) -> DayInfo:
    return _builtin(day)


async def add_working_days(start: date, days: int) -> Deadline:
    """The date ``days`` working days after ``start`` (counting from the next working day)."""
    current = start
    counted = 0
    uncertain = False
    while counted < days:
        current += timedelta(days=1)
        info = await day_info(current)
        uncertain = uncertain or not info.known
        if info.is_working_day:
            counted += 1
    return Deadline(current, uncertain)
