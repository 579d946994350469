"""Payloads of the hall's workbench (desk, bookings of the day, check-in by code) and of the hall TV."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.appointments.codes import ALPHABET
from citizen_api.appointments.schemas import AppointmentStatus
from citizen_api.errors import details_model
from citizen_api.http import PageQuery


class DeskWindow(BaseModel):
    id: int
    number: str = Field(description="窗口号")
    name: str


class DeskGroup(BaseModel):
    code: str = Field(description="窗口组编码")
    name: str
    office_code: str = Field(description="办事大厅编码（大厅叫号屏 /hall/{office_code}）")


class DeskCoverOut(BaseModel):
    """AB角: an absent colleague's desk this clerk covers."""

    absent_user_id: int
    absent_name: str = Field(description="缺岗同事（A 角）")
    group_code: str | None = Field(description="A 角的窗口组；A 未分配窗口为 null")
    group_name: str | None


class DeskOut(BaseModel):
    window: DeskWindow | None = Field(description="本人的窗口；未分配为 null")
    group: DeskGroup | None = Field(description="窗口所在的窗口组；未分配为 null")
    idle_minutes: float = Field(description="工作台无操作多少分钟后自动退出")
    covering: list[DeskCoverOut] = Field(
        default_factory=list, description="AB角：正代缺岗同事办理（其窗口组的号由本人一并叫）"
    )


class DeskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    window_id: int | None = Field(..., ge=1, le=2_147_483_647, description="窗口 id；null 取消分配")


class HallBookingsQuery(PageQuery):
    date: dt.date | None = Field(None, description="日期，默认今天")
    q: str | None = Field(
        None, min_length=1, max_length=32, description="手机号后四位、申请人姓名（全名）或签到码"
    )


class HallSlot(BaseModel):
    start: datetime
    end: datetime


class HallBooking(BaseModel):
    id: int
    slot: HallSlot
    window_group: str = Field(description="窗口组编码")
    item_code: str
    item_name: str
    applicant_name: str | None = Field(description="申请人姓名（脱敏）")
    phone: str | None = Field(description="手机号（脱敏）")
    status: AppointmentStatus
    status_text: str
    check_in_code: str
    queue_number: str | None = None


def normalise_code(value):
    """What a USB scanner or a clerk types: surrounding whitespace and letter case do not matter."""
    return value.strip().upper() if isinstance(value, str) else value


class CheckInCodeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1, max_length=32, description="签到码（扫码枪输入；不区分大小写，忽略首尾空白）"
    )

    _normalised = field_validator("code", mode="before")(normalise_code)


def is_code(text: str) -> bool:
    return len(text) == 10 and all(ch in ALPHABET for ch in text)


class HallOffice(BaseModel):
    code: str
    name: str


class HallCall(BaseModel):
    number: str = Field(description="排队号")
    window: str = Field(description="窗口号")
    called_at: datetime


class HallFeed(BaseModel):
    office: HallOffice
    called: list[HallCall] = Field(description="今天最近的叫号（最新的在前，至多 10 个）")
    late_windows: list[str] = Field(
        default_factory=list, description="正在延时服务的窗口号（下班后继续为已取号的群众办理）"
    )


@details_model("UNKNOWN_WINDOW")
class UnknownWindowDetails(BaseModel):
    window_id: int


@details_model("WINDOW_OF_OTHER_DEPARTMENT")
class OtherDepartmentWindowDetails(BaseModel):
    window_id: int
    department: str = Field(description="该窗口组所属部门")


@details_model("NOT_CALLED", "NOT_IN_SERVICE")
class TicketStatusDetails(BaseModel):
    status: str = Field(description="号的当前状态")
