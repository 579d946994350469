"""Citizen and hall-staff payloads of the appointment API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from citizen_api.agents.schemas import FiledBy
from citizen_api.appointments.transitions import APPOINTMENTS, TICKETS, WAITLIST
from citizen_api.http import PageQuery
from citizen_api.security.identity import IdNumber, MobileNumber

# the status enums of the served OpenAPI, derived from the transition tables
AppointmentStatus = Literal[APPOINTMENTS.statuses]
WaitlistStatus = Literal[WAITLIST.statuses]
TicketStatus = Literal[TICKETS.statuses]

MAX_DAYS_RANGE = 62
ItemCode = Field(min_length=1, max_length=64, description="事项实施编码")
Id = Field(ge=1, le=2_147_483_647)


class DaysQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    item_code: str = ItemCode
    from_: date | None = Field(None, alias="from", description="起始日期，默认今天")
    to: date | None = Field(None, description="截止日期，默认可预约期限的最后一天；最多 62 天")

    @model_validator(mode="after")
    def _range(self) -> DaysQuery:
        if self.from_ and self.to:
            if self.to < self.from_:
                raise ValueError("截止日期不能早于起始日期")
            if (self.to - self.from_).days >= MAX_DAYS_RANGE:
                raise ValueError(f"一次最多查询 {MAX_DAYS_RANGE} 天")
        return self


DayKind = Literal["workday", "holiday_service", "closed"]
Allocation = Literal["first_come", "lottery"]


class DayOut(BaseModel):
    date: date
    kind: DayKind = Field(
        description="workday 工作日（含调休上班日）；holiday_service 节假日预约服务日；closed 不办公"
    )
    available: bool = Field(description="当天还有可预约的时段")
    reason: str | None = Field(
        None,
        description="不可预约的原因（周末、法定节假日（国庆节）、超出可预约范围、年度安排未公布、闭厅、"
        "已约满、今日已截止、已过预约截止时间、该日无可预约时段）；可预约时为 null",
    )
    opens_at: datetime | None = Field(None, description="尚未放号的日期的放号时间；已放号为 null")
    allocation: Allocation = Field("first_come", description="first_come 先到先得；lottery 摇号")
    name: str | None = Field(None, description="节日名称或节假日预约说明")


class SlotsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    item_code: str = ItemCode
    date: date


class SlotOut(BaseModel):
    id: int
    start: datetime
    end: datetime
    capacity: int = Field(description="可网上预约的名额（不含工作人员代约的保留名额）")
    remaining: int
    window_group: str = Field(description="窗口组")
    office: str = Field(description="办事大厅")
    opens_at: datetime | None = Field(None, description="尚未放号时的放号时间（届时才能预约）；已放号为 null")


class BookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slot_id: int = Id
    item_code: str = ItemCode


class BookingBody(BookBody):
    """``POST /appointments``: for oneself, or (代办) for the principal of an authorisation."""

    on_behalf_of: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="代办：委托人给我的授权编号（GET /me/principals）；预约属于委托人，按委托人计一人一约",
    )


class StaffBookBody(BookBody):
    """代约: staff book for a citizen on the phone or at the hall, identified by their real name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(
        min_length=2, max_length=30, pattern=r"^[\u4e00-\u9fffA-Za-z·•. ]{2,30}$", description="姓名"
    )
    id_number: IdNumber = Field(min_length=18, max_length=18, description="居民身份证号码（18 位）")
    phone: MobileNumber = Field(min_length=11, max_length=20, description="中国大陆手机号")


class AppointmentOut(BaseModel):
    id: int
    status: AppointmentStatus = Field(
        description="booked 已预约；checked_in 已签到；no_show 已爽约；cancelled 已取消"
    )
    status_text: str = Field(description="状态的中文说明")
    can_cancel: bool = Field(description="现在能否取消（状态允许且未过取消截止时间）")
    check_in_code: str = Field(description="签到码：小程序显示为二维码，大厅扫码签到")
    item_code: str
    item_name: str
    date: date
    slot: SlotOut
    place: str = Field(description="办理地点")
    queue_number: str | None = None
    source: Literal["direct", "waitlist", "staff", "lottery"] = Field(
        description="direct 直接预约；waitlist 候补转正；staff 工作人员代约；lottery 摇号中签"
    )
    filed_by: FiledBy = Field(
        "self", description="self 本人预约；agent 他人代办；staff_assisted 工作人员代约"
    )
    cancel_deadline: datetime = Field(description="此时间之前可取消")
    created_at: datetime


class MyAppointmentsQuery(PageQuery):
    status: AppointmentStatus | None = None


class WaitlistOut(BaseModel):
    id: int
    status: WaitlistStatus
    position: int | None = Field(None, description="候补中的排位（1 = 下一个）")
    item_code: str
    item_name: str
    slot: SlotOut
    appointment_id: int | None = Field(None, description="转正后的预约")
    created_at: datetime


class CheckInOut(BaseModel):
    appointment_id: int
    queue_number: str
    window_group: str


class NoShowOut(BaseModel):
    appointment_id: int
    status: Literal["no_show"]
    suspended_until: date | None = Field(None, description="因爽约暂停预约至该日")


class QueueQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    group: str | None = Field(
        None, min_length=1, max_length=32, description="窗口组编码；默认本人窗口所在的窗口组"
    )


class GroupBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str | None = Field(
        None, min_length=1, max_length=32, description="窗口组编码；默认本人窗口所在的窗口组"
    )


class CallBody(GroupBody):
    window: str = Field(
        "", max_length=16, description="叫号的窗口号；默认本人的窗口（未分配窗口又未给出答 409 NO_WINDOW）"
    )


class TicketOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    kind: Literal["priority", "booked", "walk_in"] = Field(
        description="priority 60 岁以上优先号；booked 预约；walk_in 现场取号"
    )
    status: TicketStatus
    appointment_id: int | None = None
    created_at: datetime
    called_at: datetime | None = None
    window: str = Field("", description="叫号的窗口号")


class QueueOut(BaseModel):
    group: str
    date: date
    waiting: list[TicketOut] = Field(description="等候中：预约取号在前，现场取号在后")
    called: list[TicketOut] = Field(default_factory=list, description="已叫号（最近叫的在前）")
    serving: list[TicketOut] = Field(default_factory=list, description="办理中（最近叫的在前）")
    covered_groups: list[str] = Field(
        default_factory=list, description="AB角：正代缺岗同事办理的窗口组（其等候的号一并叫）"
    )
