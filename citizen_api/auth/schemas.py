from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.security.passwords import MAX_LENGTH, MIN_LENGTH, checked_new_password
from citizen_api.security.principal import Role


class WechatLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=128, description="wx.login() 得到的临时登录凭证")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=256, description="本次登录的刷新令牌")


class StaffLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    old_password: str = Field(min_length=1, max_length=256, description="原密码")
    new_password: str = Field(
        max_length=256,
        description=(
            f"新密码：{MIN_LENGTH}–{MAX_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少三类，"
            "不含空格和用户名，且与原密码不同"
        ),
    )

    # before the length rule of the field: every password rule answers with its own message
    _rules = field_validator("new_password", mode="before")(checked_new_password)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(
        max_length=256,
        description=f"新密码：{MIN_LENGTH}–{MAX_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少三类",
    )

    _rules = field_validator("password", mode="before")(checked_new_password)


class UserRef(BaseModel):
    id: int
    role: Role


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="access_token 有效秒数")
    user: UserRef
