"""What the home-visit endpoints take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.cases.schemas import DeliveryAddress
from citizen_api.http.schemas import PageQuery
from citizen_api.visits.transitions import STATUSES

VisitStatus = Literal[STATUSES]  # type: ignore[valid-type]
Reason = Literal["age", "disability", "illness"]
Outcome = Literal["accepted_on_site", "materials_taken", "not_home"]
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class VisitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_code: str = Field(min_length=1, max_length=64)
    reason: Reason = Field(
        description="age 年满70周岁（按身份证号核验）；disability 残疾；illness 重病（后两者由工作人员确认）"
    )
    reason_note: str = Field("", max_length=200, description="残疾证号、病情说明等（供工作人员确认）")
    address: DeliveryAddress = Field(description="上门地址与联系人")
    preferred_days: list[date] = Field(min_length=1, max_length=3, description="希望上门的日期（1–3 天）")

    @field_validator("preferred_days")
    @classmethod
    def _distinct(cls, days: list[date]) -> list[date]:
        return sorted(set(days))


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: date
    start: str = Field(pattern=_HHMM, description="上门时间窗开始 HH:MM")
    end: str = Field(pattern=_HHMM, description="上门时间窗结束 HH:MM")
    staff: list[str] = Field(min_length=1, max_length=5, description="上门工作人员姓名")

    @field_validator("staff")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        names = [n.strip() for n in names if n.strip()]
        if not names or any(len(n) > 30 for n in names):
            raise ValueError("请填写上门工作人员姓名（每个不超过 30 字）")
        return names


class Refusal(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=2, max_length=500)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: Outcome = Field(
        description="accepted_on_site 现场受理；materials_taken 收取材料带回；not_home 未遇"
    )
    materials_taken: list[str] = Field(default_factory=list, max_length=30)
    case_number: str | None = Field(None, max_length=32, description="现场受理的办件编号")
    note: str = Field("", max_length=500)


class VisitOut(BaseModel):
    id: int
    item_code: str
    item_name: str
    department_code: str
    status: VisitStatus
    status_text: str
    reason: Reason
    reason_note: str
    applicant_name: str | None = Field(description="申请人（本人可见全名，工作人员为脱敏）")
    phone: str | None
    address: str = Field(description="上门地址")
    preferred_days: list[date]
    requested_at: datetime
    scheduled_on: date | None
    window: str | None = Field(description="上门时间窗，如 09:00–11:00")
    staff: list[str]
    outcome: Outcome | None
    materials_taken: list[str]
    case_number: str | None
    outcome_note: str
    refusal_reason: str
    actions: list[str] = Field(description="当前可进行的操作")


class StaffVisitsQuery(PageQuery):
    status: VisitStatus | None = None


class VisitStatsQuery(BaseModel):
    since: date
    until: date = Field(description="不含当日")


class VisitStats(BaseModel):
    requested: int = Field(description="期间提出的上门服务申请")
    done: int
    accepted_on_site: int = Field(description="现场受理的")
    materials_taken: int
    not_home: int
    refused: int
    cancelled: int
    open: int = Field(description="尚待确认或安排的")
