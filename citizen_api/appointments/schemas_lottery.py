"""Payloads of lottery days (摇号): the admin's draw, a citizen's registration, the public result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from citizen_api.appointments.schemas import AppointmentOut, ItemCode
from citizen_api.appointments.transitions import LOTTERY_DRAWS, LOTTERY_ENTRIES
from citizen_api.errors import details_model

DrawStatus = Literal[LOTTERY_DRAWS.statuses]
EntryStatus = Literal[LOTTERY_ENTRIES.statuses]
Code = Field(min_length=1, max_length=32)


class DrawIn(BaseModel):
    """An admin makes a day's places go by lottery: registration window and draw time."""

    model_config = ConfigDict(extra="forbid")

    group_code: str = Field(min_length=1, max_length=32, description="窗口组编码")
    item_code: str | None = Field(None, max_length=64, description="只对该组的一个事项摇号；空为整组")
    date: date
    registration_opens_at: datetime = Field(description="登记开始")
    registration_closes_at: datetime = Field(description="登记截止")
    draw_at: datetime = Field(description="开奖时间（不早于登记截止，早于预约当天）")

    @model_validator(mode="after")
    def _order(self) -> DrawIn:
        times = (self.registration_opens_at, self.registration_closes_at, self.draw_at)
        if any(t.tzinfo is None for t in times):
            raise ValueError("时间须带时区，例如 2026-10-09T08:00:00+08:00")
        if any(not 2000 <= t.year <= 2100 for t in times) or not 2000 <= self.date.year <= 2100:
            raise ValueError("日期须在 2000 至 2100 年之间")
        if not self.registration_opens_at < self.registration_closes_at <= self.draw_at:
            raise ValueError("须满足 登记开始 < 登记截止 ≤ 开奖时间")
        return self


class DrawsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    from_: date | None = Field(None, alias="from", description="起始日期，默认 30 天前")


class DrawPublic(BaseModel):
    """A draw as everyone sees it: the seed only once drawn, its hash from the start."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    date: date
    office: str
    window_group: str
    item_code: str | None = Field(None, description="只对该事项摇号；null 为整个窗口组")
    status: DrawStatus = Field(description="open 登记中；drawn 已开奖")
    registration_opens_at: datetime
    registration_closes_at: datetime
    draw_at: datetime
    seed_hash: str = Field(description="种子的 SHA-256（十六进制），创建时即公布")
    seed: str | None = Field(None, description="开奖后公布的种子；开奖前为 null")
    entries_digest: str | None = Field(
        None, description='开奖时全部登记号升序、以 "\\n" 连接后的 SHA-256；开奖前为 null'
    )
    entries: int = Field(description="参与开奖的登记数（开奖前为 0）")
    places: int | None = Field(None, description="开奖时的名额")
    winners: int
    drawn_at: datetime | None = None
    algorithm: str = Field(
        "sha256(seed + ':' + id) ascending, first `places` eligible",
        description="排序与中签规则（详见 README 的摇号一节）",
    )


class DrawAdminOut(DrawPublic):
    registrations: int = Field(description="目前的登记数")


class DrawEntriesOut(BaseModel):
    """Everything needed to recompute a draw (published once drawn): ids are registration numbers."""

    draw_id: int
    seed: str
    entries_digest: str
    places: int
    ids: list[int] = Field(description="全部登记号，升序")
    winners: list[int] = Field(description="中签的登记号，按开奖顺序")
    ineligible: list[int] = Field(
        description="抽中但不符合预约条件（当天已预约、超出每周上限、暂停预约）的登记号"
    )


class RegisterBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_code: str = ItemCode
    date: date
    waitlist: bool = Field(False, description="未中签时加入当天的候补名单（按开奖顺序）")


class EntryOut(BaseModel):
    id: int
    status: EntryStatus = Field(
        description="registered 已登记待开奖；won 中签（appointment 为预约）；lost 未中签；"
        "ineligible 抽中但不符合预约条件"
    )
    status_text: str
    item_code: str
    date: date
    waitlist: bool
    draw: DrawPublic
    appointment: AppointmentOut | None = None
    created_at: datetime


@details_model("LOTTERY_CLOSED")
class LotteryClosedDetails(BaseModel):
    closed_at: str = Field(description="登记截止时间（ISO 8601，+08:00）")


@details_model("NOT_DRAWN")
class NotDrawnDetails(BaseModel):
    draw_at: str = Field(description="开奖时间（ISO 8601，+08:00）")
