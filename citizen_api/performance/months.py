"""A month of the scores: ``YYYY-MM``, bounded in China time (the 1st 00:00 to the next 1st 00:00,
Asia/Shanghai), whatever zone the server runs in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error

_MONTH = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Month:
    first_day: date

    @property
    def name(self) -> str:
        return self.first_day.strftime("%Y-%m")

    @property
    def next_first_day(self) -> date:
        return (self.first_day + timedelta(days=32)).replace(day=1)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    @property
    def lo(self) -> datetime:
        # in UTC, as times are stored: SQLite compares them as text
        return datetime.combine(self.first_day, time(), clock.CST).astimezone(UTC)

    @property
    def hi(self) -> datetime:
        return datetime.combine(self.next_first_day, time(), clock.CST).astimezone(UTC)

    def is_over(self, today: date) -> bool:
        return today >= self.next_first_day


def parse(text: str, field: str = "path.month") -> Month:
    match = _MONTH.fullmatch(text or "")
    if match is None:
        raise validation_error({field: "月份格式应为 YYYY-MM（2000–2099 年），如 2026-10"})
    return Month(date(int(match.group(1)), int(match.group(2)), 1))


def over(month: Month) -> Month:
    """``month`` when it has ended in China time (409 MONTH_NOT_OVER otherwise)."""
    if not month.is_over(clock.today()):
        raise ApiError(
            409,
            "MONTH_NOT_OVER",
            f"{month.name} 尚未结束，{month.next_first_day.isoformat()} 起方可计算",
            {"computable_from": month.next_first_day.isoformat()},
        )
    return month


def last_month(today: date) -> Month:
    return Month((today.replace(day=1) - timedelta(days=1)).replace(day=1))
