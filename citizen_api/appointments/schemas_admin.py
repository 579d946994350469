"""Admin payloads: halls, window groups and their schedule templates."""

from __future__ import annotations

from datetime import time
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
Code = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class OfficeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Code
    name: str = Field(min_length=1, max_length=100, description="大厅名称")
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=32)


class WindowIn(BaseModel):
    # from_attributes: a group's answer lists its windows straight from the rows
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, from_attributes=True)

    number: str = Field(min_length=1, max_length=16, description="窗口号")
    name: str = Field("", max_length=64)
    opens_on_holiday_service: bool = Field(False, description="节假日预约服务日是否开放")


class WindowOut(WindowIn):
    id: int = Field(description="窗口 id（分配工作人员的窗口时用）")


class GroupFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=64, description="窗口组名称")
    prefix: str = Field(min_length=1, max_length=3, pattern=r"^[A-Z]+$", description="取号前缀，如 A")
    department_code: str | None = Field(None, max_length=32, description="负责部门；空 = 综合窗口")
    item_codes: list[str] = Field(default_factory=list, max_length=500, description="可办理（可预约）的事项")
    windows: list[WindowIn] = Field(default_factory=list, max_length=50)
    is_active: bool = True

    @field_validator("item_codes")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        if any(not code or len(code) > 64 for code in value):
            raise ValueError("事项编码长度应为 1–64")
        return list(dict.fromkeys(value))

    @field_validator("windows")
    @classmethod
    def _windows(cls, value: list[WindowIn]) -> list[WindowIn]:
        if len({w.number for w in value}) != len(value):
            raise ValueError("窗口号重复")
        return value


class GroupIn(GroupFields):
    office_code: str = Code
    code: str = Code


class GroupOut(BaseModel):
    id: int
    code: str
    name: str
    prefix: str
    office_code: str
    department_code: str | None
    item_codes: list[str]
    windows: list[WindowOut]
    is_active: bool


class OfficeOut(BaseModel):
    id: int
    code: str
    name: str
    address: str
    phone: str
    groups: list[GroupOut] = Field(default_factory=list)


class PeriodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: str = Field(pattern=HHMM, description="开始，如 09:00")
    end: str = Field(pattern=HHMM, description="结束，如 12:00")
    slot_minutes: int = Field(30, ge=5, le=480, description="每个时段的分钟数")
    capacity: int = Field(ge=1, le=1000, description="每个时段可预约人数")

    @model_validator(mode="after")
    def _fits(self) -> PeriodIn:
        start, end = time.fromisoformat(self.start), time.fromisoformat(self.end)
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes < self.slot_minutes:
            raise ValueError("结束时间应晚于开始时间，且至少容纳一个时段")
        return self


def _no_overlap(periods: list[PeriodIn]) -> list[PeriodIn]:
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError("时间段不能重叠")
    return ordered


class ScheduleIn(BaseModel):
    """The whole schedule of a group; a weekday left out is closed (调休 weekend days use 周一)."""

    model_config = ConfigDict(extra="forbid")

    weekly: dict[Weekday, list[PeriodIn]] = Field(default_factory=dict, description="周一至周日的开放时段")
    holiday_service: list[PeriodIn] = Field(
        default_factory=list, max_length=8, description="节假日预约服务日"
    )

    @field_validator("weekly")
    @classmethod
    def _weekly(cls, value: dict[str, list[PeriodIn]]) -> dict[str, list[PeriodIn]]:
        if any(len(periods) > 8 for periods in value.values()):
            raise ValueError("每天最多 8 个时间段")
        return {day: _no_overlap(periods) for day, periods in value.items()}

    @field_validator("holiday_service")
    @classmethod
    def _holiday(cls, value: list[PeriodIn]) -> list[PeriodIn]:
        return _no_overlap(value)


class ScheduleOut(ScheduleIn):
    group: str
    dropped_slots: int = Field(0, description="因模板变化而重新生成的未预约时段数")


class ReleaseRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_code: str | None = Field(
        None, min_length=1, max_length=64, description="只对该事项生效；为空则为整个窗口组的规则"
    )
    days_before: int = Field(ge=0, le=366, description="提前几天放号（0 = 当天）")
    at: str = Field(pattern=HHMM, description="放号时间（北京时间 HH:MM）", examples=["08:00"])


class ReleaseRuleOut(BaseModel):
    group: str = Field(description="窗口组编码")
    item_code: str | None = Field(None, description="事项编码；为空则为窗口组的规则")
    days_before: int
    at: str


class ReleaseRuleQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    item_code: str | None = Field(
        None, min_length=1, max_length=64, description="事项编码；为空则为窗口组的规则"
    )
