from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.security.identity import (
    MobileNumber,
    is_valid_id_number,
    normalise_id_number,
)

_NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•. ]{2,30}$")


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=30, description="真实姓名")
    id_number: str = Field(min_length=15, max_length=18, description="居民身份证号码（18 位，GB 11643 校验）")
    phone: MobileNumber = Field(min_length=11, max_length=20, description="中国大陆手机号")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("姓名格式不正确")
        return value

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        value = normalise_id_number(value)
        if not is_valid_id_number(value):
            raise ValueError("身份证号码不正确（校验位或出生日期有误）")
        return value


class Profile(BaseModel):
    id: int
    role: str
    name: str | None = Field(None, description="姓名（脱敏）")
    id_number: str | None = Field(None, description="身份证号（脱敏）")
    phone: str | None = Field(None, description="手机号（脱敏）")
    profile_complete: bool
    username: str | None = None
    department: str | None = None
    follows_official_account: bool = False


class StaffSummary(BaseModel):
    id: int
    username: str
    role: str
    department: str | None
    display_name: str | None
    is_active: bool
