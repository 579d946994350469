from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.security.identity import IdNumber, MobileNumber
from citizen_api.security.passwords import MAX_LENGTH, MIN_LENGTH, checked_new_password
from citizen_api.security.principal import Role, StaffRole

_NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•. ]{2,30}$")


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=30, description="真实姓名")
    id_number: IdNumber = Field(
        min_length=18,
        max_length=18,
        description="居民身份证号码（18 位，GB 11643 校验；全角数字自动转为半角，空格忽略）",
    )
    phone: MobileNumber = Field(
        min_length=11, max_length=20, description="中国大陆手机号（可带 +86、空格或连字符，全角数字自动转换）"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("姓名格式不正确")
        return value


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(
        max_length=256,
        description=f"新密码：{MIN_LENGTH}–{MAX_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少三类",
    )

    _rules = field_validator("password", mode="before")(checked_new_password)


class Profile(BaseModel):
    id: int
    role: Role
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
    role: StaffRole
    department: str | None
    display_name: str | None
    is_active: bool
