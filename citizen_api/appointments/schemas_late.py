"""Payloads of 延时服务: the queue past the hall's closing time, and the day's late-service report."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.errors import details_model


class LateServiceQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    group: str | None = Field(
        None, min_length=1, max_length=32, description="窗口组编码；默认本人窗口所在的窗口组"
    )


class LateWindowBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    window_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="窗口；默认本人的窗口（主管、管理员可指定任一窗口）"
    )


class LateServiceOut(BaseModel):
    group: str = Field(description="窗口组编码")
    date: dt.date
    closes_at: datetime = Field(description="今天的下班时间（停止取号、签到）")
    closing_source: Literal["hours", "default"] = Field(
        description="hours：窗口组当天的开放时段结束时间；default：未设开放时段，按 ONETRIP_HALL_CLOSES_AT"
    )
    after_close: bool = Field(description="已过下班时间：不再发新号，已取号的群众继续办理")
    waiting: int = Field(description="仍在等候的号数")
    windows: list[str] = Field(description="正在延时服务的窗口号")


class LateReportQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    date: dt.date | None = Field(None, description="日期，默认今天")


class LateWindowRow(BaseModel):
    window: str = Field(description="窗口号")
    started_at: datetime
    ended_at: datetime | None = Field(description="结束时间；空表示仍在延时服务")
    automatic: bool = Field(description="下班后叫号时自动开启（而非点击开启）")


class LateGroupReport(BaseModel):
    group: str
    group_name: str
    closes_at: datetime
    issued: int = Field(description="当天发出的号")
    waiting_at_close: int = Field(description="下班时仍在等候（尚未叫号）的号")
    served_after_close: int = Field(description="下班后叫号并办理的号（不含过号）")
    still_waiting: int = Field(description="此刻仍在等候的号")
    last_called_at: datetime | None = Field(description="当天最后一次叫号")
    minutes_past_close: int = Field(description="最后一次叫号晚于下班时间的分钟数（0：未延时）")
    windows: list[LateWindowRow]


class LateReportOut(BaseModel):
    date: dt.date
    groups: list[LateGroupReport]


@details_model("HALL_CLOSED")
class HallClosedDetails(BaseModel):
    closes_at: datetime


@details_model("LATE_QUEUE_WAITING")
class LateQueueWaitingDetails(BaseModel):
    waiting: int
