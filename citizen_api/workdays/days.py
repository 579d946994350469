"""What kind of day a date is: chinese-calendar, then the imported schedule, then the admin's word.

Pure and synchronous: :class:`Snapshot` holds the database overrides of one moment and answers
from memory, so deadline arithmetic never queries per day (see ``cache.py`` for freshness).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import chinese_calendar

DayKindName = Literal["workday", "makeup_workday", "weekend", "holiday", "holiday_service", "closed"]
OverrideSource = Literal["import", "admin"]


@dataclass(frozen=True)
class DayInfo:
    date: date
    kind: DayKindName
    known: bool  # False: the year's official schedule is unknown; kind falls back to weekends only
    name: str | None = None  # holiday name (国庆节 …) or the admin's note
    override: OverrideSource | None = None  # where the kind came from when not chinese-calendar

    @property
    def is_working_day(self) -> bool:
        """A day the clock of a case runs (holiday_service days are appointment-only, not counted)."""
        return self.kind in ("workday", "makeup_workday")


@dataclass(frozen=True)
class Deadline:
    date: date
    uncertain: bool  # True when a year with no known schedule was crossed (weekends-only count)


def _weekend(day: date) -> bool:
    return day.weekday() >= 5


def _holiday_name(name: str | None) -> str | None:
    if not name:
        return None
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return str(name)


def builtin(day: date) -> DayInfo:
    """chinese-calendar's answer (2004–2026), or weekends only with ``known=False`` outside it."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return DayInfo(day, "weekend" if _weekend(day) else "workday", known=False)
    if is_holiday:
        # a weekend inside a holiday period carries the holiday's name; a plain weekend does not
        return DayInfo(day, "holiday" if name else "weekend", True, _holiday_name(name))
    if _weekend(day):
        # chinese-calendar names the holiday a make-up Saturday/Sunday is worked for
        label = _holiday_name(name)
        return DayInfo(day, "makeup_workday", True, f"{label}调休上班" if label else None)
    return DayInfo(day, "workday", True)


@dataclass
class Snapshot:
    """The database overrides at one moment; ``resolve`` memoises per date."""

    token: str | None = None
    years: frozenset[int] = frozenset()
    imported: dict[date, tuple[str, str]] = field(default_factory=dict)  # day → (holiday|workday, name)
    admin: dict[date, tuple[str, str]] = field(default_factory=dict)  # day → (kind, note)
    _memo: dict[date, DayInfo] = field(default_factory=dict, repr=False)

    def resolve(self, day: date) -> DayInfo:
        info = self._memo.get(day)
        if info is None:
            info = self._resolve(day)
            if len(self._memo) < 200_000:  # a century of dates; bounded against odd callers
                self._memo[day] = info
        return info

    def _base(self, day: date) -> DayInfo:
        if day.year not in self.years:
            return builtin(day)
        # an imported year is known completely: listed days as imported, the rest by the weekday
        entry = self.imported.get(day)
        if entry is None:
            return DayInfo(day, "weekend" if _weekend(day) else "workday", True)
        kind, name = entry
        if kind == "holiday":
            return DayInfo(day, "holiday", True, name or None, "import")
        return DayInfo(day, "makeup_workday" if _weekend(day) else "workday", True, name or None, "import")

    def _resolve(self, day: date) -> DayInfo:
        base = self._base(day)
        entry = self.admin.get(day)
        if entry is None:
            return base
        kind, note = entry
        name = note or base.name
        # the admin's word settles this one day, whatever the year's schedule
        if kind == "workday":
            if base.is_working_day:
                return DayInfo(day, base.kind, True, name, "admin")
            return DayInfo(day, "makeup_workday", True, name, "admin")
        return DayInfo(day, kind, True, name, "admin")  # type: ignore[arg-type]
