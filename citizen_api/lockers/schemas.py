"""What the lockers' endpoints take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.http.schemas import PageQuery
from citizen_api.lockers.transitions import DEPOSITS

DepositStatus = Literal[DEPOSITS.statuses]  # type: ignore[valid-type]


class LockerOut(BaseModel):
    code: str
    name: str
    place: str
    office_code: str


class DepositOut(BaseModel):
    id: int
    application_id: int
    number: str = Field(description="办件编号")
    locker: LockerOut
    compartment: str = Field(description="格口号")
    status: DepositStatus
    status_text: str
    deposited_at: datetime
    expires_at: datetime = Field(description="取件截止时间，逾期退回窗口")
    picked_up_at: datetime | None
    retrieved_at: datetime | None
    pickup_code: str | None = Field(description="取件码：仅申请人本人、待取件时可见")


class LockersQuery(BaseModel):
    office_code: str | None = Field(None, max_length=32)


class StaffDepositsQuery(PageQuery):
    status: DepositStatus | None = None


class PickupCall(BaseModel):
    """The locker's call when a citizen types a code (signed: ``X-Locker-Signature``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    locker: str = Field(min_length=1, max_length=64, description="柜机编号（厂商侧 ID）")
    code: str = Field(min_length=4, max_length=16, pattern=r"^[0-9]+$", description="取件码")


class PickupAnswer(BaseModel):
    open: bool
    compartment: str
    number: str
