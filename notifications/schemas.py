from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.http.schemas import PageQuery
from notifications.transitions import STATUSES

OutboxStatus = Literal[STATUSES]  # type: ignore[valid-type]

# what wx.requestSubscribeMessage reports per template ("ban"/"filter": blocked by the user or WeChat)
GrantAnswer = Literal["accept", "reject", "ban", "filter"]


class TemplatesAnswer(BaseModel):
    templates: dict[str, str] = Field(description="事件 → 订阅消息模板 id，如 case.accepted → 模板 id")
    request_sets: dict[str, list[str]] = Field(
        description="小程序一次申请的模板 id 组（每组 ≤ 3 个），如 apply（提交办件时）、book（预约时）"
    )
    grants: dict[str, int] = Field(description="当前账号各模板剩余的一次性授权次数")


class SubscriptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grants: dict[str, GrantAnswer] = Field(
        min_length=1,
        max_length=10,
        description="模板 id → accept | reject（wx.requestSubscribeMessage 的结果）",
    )

    @field_validator("grants")
    @classmethod
    def _ids_bounded(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not 1 <= len(key) <= 64 or not key.isprintable():
                raise ValueError("模板 id 长度应为 1–64 个可见字符")
        return value


class SubscriptionsAnswer(BaseModel):
    grants: dict[str, int] = Field(description="各模板剩余的一次性授权次数")
    ignored: list[str] = Field(description="服务端未配置的模板 id（未记录）")


class OutboxQuery(PageQuery):
    status: OutboxStatus = "dead"
    event: str | None = Field(None, max_length=48)


class OutboxRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    audience: str
    event: str
    status: OutboxStatus
    attempts: int
    channel: str | None
    reason: str | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None


class RequeueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] | None = Field(
        None, max_length=1000, description="要重新发送的死信 id；省略则重新发送全部死信"
    )

    @field_validator("ids")
    @classmethod
    def _ids_positive(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(not 1 <= i <= 2**62 for i in value):
            raise ValueError("id 超出范围")
        return value


class RequeueAnswer(BaseModel):
    requeued: int


class FollowerLinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    oa_openid: str = Field(min_length=1, max_length=64)
    user_id: int = Field(ge=1, le=2_000_000_000)


class FollowerAnswer(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    oa_openid: str
    user_id: int | None
    unionid: str | None
    subscribed: bool
