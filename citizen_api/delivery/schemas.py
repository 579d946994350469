"""Delivery shapes: the contract's ADDRESS, mail-in, and the views of shipments."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.delivery import models, states
from citizen_api.delivery.waybill import COMPANIES
from citizen_api.http import PageQuery
from citizen_api.security.identity import MobileNumber

# enums of the served OpenAPI, derived from the state lists (one source of truth)
ShipmentStatus = Literal[models.STATUSES]
Direction = Literal[models.DIRECTIONS]
TrackingState = Literal[tuple(code for code in states.STATE_TEXT if code != "abort")]

_NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•. ]{1,30}$")


class DeliveryAddress(BaseModel):
    """ADDRESS of the contract: ``{name, phone, province, city, district, address}``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=30, description="收件人姓名")
    phone: MobileNumber = Field(min_length=11, max_length=20, description="收件人手机号（中国大陆）")
    province: str = Field(min_length=2, max_length=20, description="省级行政区名称，如 广东省")
    city: str = Field(min_length=2, max_length=30, description="地级行政区名称，如 广州市（直辖市填本市）")
    district: str = Field(
        "", max_length=30, description="县级行政区名称，如 海珠区（东莞、中山等不设区县的市可留空）"
    )
    address: str = Field(min_length=2, max_length=200, description="街道、门牌等详细地址")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("收件人姓名格式不正确")
        return value


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
