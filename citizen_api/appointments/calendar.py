"""Which days the hall takes appointments, from the working-days calendar.

workday and 调休 make-up workday → ``workday`` (weekly template); an admin-opened holiday or
weekend → ``holiday_service`` (holiday template); everything else → ``closed``. A day in a
year no schedule is known for is closed unless an admin opened it (the calendar then reports it
known): guessing from weekdays alone would offer 国庆.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from citizen_api.workdays import service as workdays
from citizen_api.workdays.service import DayInfo

OpenKind = Literal["workday", "holiday_service", "closed"]


@dataclass(frozen=True)
class DayMode:
    date: date
    kind: OpenKind
    name: str | None = None  # holiday name or the admin's note
    closed_reason: str | None = None  # why a closed day is closed, in Chinese for the citizen

    @property
    def is_open(self) -> bool:
        return self.kind != "closed"


def _with(label: str, name: str | None) -> str:
    return f"{label}（{name}）" if name else label


def closed_reason(info: DayInfo) -> str:
    """Why the hall takes no appointments on a day ``mode_of`` calls closed."""
    if not info.known:
        return "年度安排未公布"  # even a weekend: the year's schedule may make it a 调休 workday
    if info.kind == "closed":
        return _with("闭厅", info.name)  # closed by an admin, with the note when there is one
    if info.kind == "holiday":
        return _with("法定节假日", info.name)
    if info.kind == "weekend":
        return "周末"
    return "不办公"


def mode_of(info: DayInfo) -> DayMode:
    if info.kind == "holiday_service":
        return DayMode(info.date, "holiday_service", info.name)
    if info.kind in ("workday", "makeup_workday") and info.known:
        return DayMode(info.date, "workday", info.name)
    return DayMode(info.date, "closed", info.name, closed_reason(info))


async def day_mode(day: date) -> DayMode:
    return mode_of(await workdays.day_info(day))


async def day_modes(start: date, end: date) -> list[DayMode]:
    return [mode_of(info) for info in await workdays.days_info(start, end)]
