"""A year's State Council holiday schedule as the contract's JSON, checked before anything is written.

``{"year": 2027, "holidays": [{"name": "春节", "dates": ["2027-02-06", …]}], "workdays": ["2027-02-14", …]}``
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from citizen_api.http.validation import field_errors

MIN_YEAR, MAX_YEAR = 2000, 2100


class ScheduleError(ValueError):
    """The schedule cannot be imported; ``problems`` lists every reason, one per line (the CLI), and
    ``fields`` the same by field path, in Chinese (the API's 422 ``details.fields``)."""

    def __init__(self, problems: list[str], fields: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.fields = fields or {}


class HolidayPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    dates: list[date] = Field(min_length=1, max_length=60)


class YearSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    holidays: list[HolidayPeriod] = Field(max_length=40)
    workdays: list[date] = Field(default_factory=list, max_length=60)

    def holiday_dates(self) -> dict[date, str]:
        return {d: period.name.strip() for period in self.holidays for d in period.dates}


def check(schedule: YearSchedule) -> None:
    """Every date in the schedule's year; no date in two holidays or both a holiday and a workday."""
    problems: list[str] = []
    fields: dict[str, str] = {}
    seen: dict[date, str] = {}
    for i, period in enumerate(schedule.holidays):
        if not period.name.strip():
            problems.append("a holiday has an empty name")
            fields.setdefault(f"holidays.{i}.name", "节日名称不能为空")
        for j, d in enumerate(period.dates):
            if d.year != schedule.year:
                problems.append(f"{d} ({period.name}) is not in {schedule.year}")
                fields.setdefault(f"holidays.{i}.dates.{j}", f"{d} 不在 {schedule.year} 年")
            other = seen.get(d)
            if other is not None and other != period.name:
                problems.append(f"{d} is listed under two holidays ({other}, {period.name})")
                fields.setdefault(
                    f"holidays.{i}.dates.{j}", f"{d} 同时列在两个节日下（{other}、{period.name}）"
                )
            seen[d] = period.name
    for k, d in enumerate(schedule.workdays):
        if d.year != schedule.year:
            problems.append(f"workday {d} is not in {schedule.year}")
            fields.setdefault(f"workdays.{k}", f"{d} 不在 {schedule.year} 年")
        if d in seen:
            problems.append(f"{d} is listed both as a holiday ({seen[d]}) and as a workday")
            fields.setdefault(f"workdays.{k}", f"{d} 同时是节假日（{seen[d]}）和调休上班日")
    if problems:
        raise ScheduleError(problems, fields)


def parse(raw: str | bytes) -> YearSchedule:
    """Parse and check; raises :class:`ScheduleError` naming every problem."""
    try:
        # strict JSON mode: dates only as "YYYY-MM-DD" strings, the year only as a number
        schedule = YearSchedule.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise ScheduleError(problems, field_errors(exc, "")) from None
    check(schedule)
    return schedule


def load(path: Path) -> YearSchedule:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScheduleError([f"cannot read {path}: {exc.strerror or exc}"]) from None
    return parse(raw)
