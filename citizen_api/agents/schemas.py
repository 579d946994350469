"""Request and answer shapes of 代办授权 (names prefixed ``Agent``/``Authorisation`` to stay unique)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api import clock
from citizen_api.agents.transitions import SHOWN_STATUSES
from citizen_api.errors import details_model
from citizen_api.security.identity import IdNumber, MobileNumber
from citizen_api.users.schemas import real_name

MAX_DAYS = 366  # an authorisation lasts at most a year (and a day, for a leap year)
MAX_ITEMS = 50

AuthorisationStatus = Literal[SHOWN_STATUSES]  # type: ignore[valid-type]
# village_agent: a village point's 代办员 filed it for a villager present (三级便民服务; cases only)
FiledBy = Literal["self", "agent", "staff_assisted", "village_agent"]


class AuthorisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=30, description="代办人真实姓名")
    id_number: IdNumber = Field(
        min_length=18, max_length=18, description="代办人居民身份证号码（18 位，GB 11643 校验）"
    )
    phone: MobileNumber = Field(min_length=11, max_length=20, description="代办人手机号")
    items: list[str] | None = Field(
        None, max_length=MAX_ITEMS, description="授权代办的事项编码；null 表示全部事项"
    )
    until: date = Field(description=f"授权有效期至（含当日），须晚于今天且不超过 {MAX_DAYS} 天")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return real_name(value)  # the rule of PUT /me/profile

    @field_validator("items")
    @classmethod
    def _items(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        codes = [code.strip() for code in value]
        if not codes:
            raise ValueError("请至少选择一个事项，或不填表示全部事项")
        if any(not 1 <= len(code) <= 64 for code in codes):
            raise ValueError("事项编码无效")
        return list(dict.fromkeys(codes))

    @field_validator("until")
    @classmethod
    def _until(cls, value: date) -> date:
        today = clock.today()
        if value <= today:
            raise ValueError("有效期须晚于今天")
        if value > today + timedelta(days=MAX_DAYS):
            raise ValueError(f"有效期最长 {MAX_DAYS} 天")
        return value


class AgentPerson(BaseModel):
    """A person of an authorisation, masked."""

    name: str | None = Field(None, description="姓名（脱敏）")
    id_number: str | None = Field(None, description="身份证号（脱敏）")
    phone: str | None = Field(None, description="手机号（脱敏）")


class AuthorisationView(BaseModel):
    id: int
    agent: AgentPerson = Field(description="代办人（脱敏）")
    items: list[str] | None = Field(description="授权的事项编码；null 表示全部事项")
    until: date = Field(description="有效期至（含当日）")
    status: AuthorisationStatus = Field(description="active 有效；expired 已过期；revoked 已撤销")
    created_at: datetime
    revoked_at: datetime | None = None


class PrincipalView(BaseModel):
    """An authorisation given to me: whom I may act for, for what, until when."""

    id: int = Field(description="授权编号：代办时作为 on_behalf_of 提交")
    principal: AgentPerson = Field(description="委托人（脱敏）")
    items: list[str] | None = Field(description="授权的事项编码；null 表示全部事项")
    until: date
    status: AuthorisationStatus
    created_at: datetime


@details_model("AGENT_NOT_AUTHORISED")
class AgentNotAuthorisedDetails(BaseModel):
    reason: Literal["revoked", "expired", "item_not_covered", "not_agent", "identity_mismatch"] = Field(
        description="revoked 已撤销；expired 已过期；item_not_covered 未授权该事项；"
        "not_agent 本人的授权不能用于代办自己；identity_mismatch 实名信息与授权的代办人不符"
    )
    until: date | None = None
    item_code: str | None = None


@dataclass(frozen=True)
class ActingGrant:
    """The caller may act for the principal under this authorisation (checked just now)."""

    authorisation_id: int
    principal_id: int
    actor_id: int
    agent_name_enc: str  # the agent's name as the principal gave it (encrypted): copied onto records
