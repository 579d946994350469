"""Delivery shapes: mail-in, and the views of shipments (the contract's ADDRESS is the case's:
``cases.schemas.DeliveryAddress``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.delivery import models, transitions
from citizen_api.delivery.waybill import COMPANIES
from citizen_api.http import PageQuery

# enums of the served OpenAPI, derived from the lifecycle table (one source of truth)
ShipmentStatus = Literal[transitions.STATUSES]
Direction = Literal[models.DIRECTIONS]
TrackingState = Literal[tuple(transitions.STATES)]


class MailIn(BaseModel):
    """The citizen posts paper materials to the centre (寄件办理) and tells us the waybill."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company: str = Field(max_length=32, description="快递公司编码：" + "、".join(COMPANIES))
    waybill: str = Field(min_length=6, max_length=40, description="运单号")

    @field_validator("company")
    @classmethod
    def _company(cls, value: str) -> str:
        value = value.lower()
        if value not in COMPANIES:
            raise ValueError("不支持的快递公司")
        return value


class DeliveryEventView(BaseModel):
    state: TrackingState = Field(description="快递100 物流状态码（0 运输中、1 已揽收、3 已签收 …）")
    state_text: str
    at: datetime | None
    context: str


class ShipmentView(BaseModel):
    id: int
    direction: Direction
    company: str
    company_name: str
    waybill: str
    status: ShipmentStatus
    status_text: str
    last_event_at: datetime | None
    events: list[DeliveryEventView] = Field(default_factory=list)


class DeliveryView(BaseModel):
    offered: bool = Field(description="该事项是否提供免费邮寄")
    address: dict | None = Field(None, description="邮寄地址（本人可见完整地址）")
    shipments: list[ShipmentView]


class StaffShipmentQuery(PageQuery):
    status: ShipmentStatus | None = None
    direction: Direction | None = None


class StaffShipmentSummary(BaseModel):
    id: int
    application_id: int
    application_number: str
    department_code: str
    direction: Direction
    company: str
    waybill: str
    status: ShipmentStatus
    status_text: str
    last_event_at: datetime | None
    recipient: dict | None = Field(None, description="收件信息（脱敏）")


class CallbackAnswer(BaseModel):
    result: bool
    returnCode: str
    message: str
