from __future__ import annotations

import re
from datetime import datetime

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from citizen_api.security.identity import IdNumber, MobileNumber
from citizen_api.security.principal import Role, StaffAccountRole

_NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•. ]{2,30}$")


def real_name(value: str) -> str:
    """A person's real name as the profile takes it (Chinese or Latin letters, ·, 2–30), else ValueError."""
    if not _NAME_RE.match(value):
        raise ValueError("姓名格式不正确")
    return value


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
        return real_name(value)


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
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: StaffAccountRole
    department: str | None = Field(validation_alias=AliasChoices("department", "department_code"))
    display_name: str | None
    office_code: str | None = Field(None, description="代办员所在的村（社区）便民服务点编码")
    office_name: str | None = Field(None, description="代办员所在的服务点名称（名录中给出）")
    is_active: bool
    must_change_password: bool = Field(False, description="管理员新建或重置了密码：本人须先修改密码")


# -- what users.service hands other domains and the adapters (read-only copies, never ORM rows) ----
class Account(BaseModel):
    """An account as other domains see it (auth reads the password hash to check a login)."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    role: str
    openid: str | None = None
    unionid: str | None = None
    username: str | None = None
    password_hash: str | None = Field(None, repr=False)
    department_code: str | None = None
    display_name: str | None = None
    office_code: str | None = None  # a 代办员's village point
    is_active: bool = True
    must_change_password: bool = False


class Applicant(BaseModel):
    """A citizen applying: the personal data as stored (a case copies it) and in clear (server
    side only, never logged)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name_enc: str | None = Field(None, repr=False)
    id_number_enc: str | None = Field(None, repr=False)
    phone_enc: str | None = Field(None, repr=False)
    profile: dict[str, str | None] = Field(repr=False)  # name, id_number, phone


class FollowerInfo(BaseModel):
    """A follower of the official account."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    oa_openid: str
    unionid: str | None
    user_id: int | None
    subscribed: bool
    last_message_at: datetime | None
