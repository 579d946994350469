"""The delivery address of a case: the contract's ADDRESS, checked against the administrative
divisions, stored as encrypted JSON (personal data), shown masked.

A case owns it: submission may carry it, and the delivery domain (``PUT /applications/{id}/delivery``)
checks and stores it through the cases service, and reads the clear address when it books the courier.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.cases import divisions
from citizen_api.http.validation import validation_error
from citizen_api.security.crypto import cipher_for
from citizen_api.security.identity import MobileNumber
from citizen_api.security.masking import mask_address, mask_name, mask_phone

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


def checked(body: DeliveryAddress, field_prefix: str = "body") -> dict[str, Any]:
    """The address with canonical division names and its GB/T 2260 code; 422 naming the bad field."""
    try:
        found = divisions.resolve(body.province, body.city, body.district)
    except divisions.DivisionError as exc:
        raise validation_error({f"{field_prefix}.{exc.field}": exc.message}, "省市区不正确") from None
    return {
        "name": body.name,
        "phone": body.phone,
        "province": found.province,
        "city": found.city,
        "district": found.district,
        "address": body.address,
        "division_code": found.code,
    }


def store(address: dict[str, Any] | None, settings) -> str | None:
    if not address:
        return None
    return cipher_for(settings).encrypt(json.dumps(address, ensure_ascii=False, sort_keys=True))


def load(stored: str | None, settings) -> dict[str, Any] | None:
    if not stored:
        return None
    return json.loads(cipher_for(settings).decrypt(stored))


def masked(stored: str | None, settings) -> dict[str, Any] | None:
    address = load(stored, settings)
    if address is None:
        return None
    return {
        **address,
        "name": mask_name(address.get("name")),
        "phone": mask_phone(address.get("phone")),
        "address": mask_address(address.get("address")),
    }
