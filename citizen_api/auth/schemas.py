from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from citizen_api.errors import details_model
from citizen_api.security.passwords import MAX_LENGTH, MIN_LENGTH, checked_new_password
from citizen_api.security.principal import Role, StaffAccountRole


class WechatLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=128, description="wx.login() 得到的临时登录凭证")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str | None = Field(
        None, min_length=1, max_length=256, description="刷新令牌；浏览器不传（用 onetrip_refresh Cookie）"
    )


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str | None = Field(
        None,
        min_length=1,
        max_length=256,
        description="本次登录的刷新令牌；浏览器不传（用 onetrip_refresh Cookie）",
    )


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


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    username: str = Field(
        min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", description="用户名：字母、数字、_ . -"
    )
    password: str = Field(
        max_length=256,
        description=(
            f"初始密码：{MIN_LENGTH}–{MAX_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少三类，"
            "不含空格和用户名；本人首次登录后须修改"
        ),
    )
    role: StaffAccountRole = Field(
        description="window 窗口；approver 审批；supervisor 监察；admin 管理员；village_agent 村级代办员"
    )
    department: str | None = Field(
        None, min_length=1, max_length=32, description="部门编码（窗口、审批人员必填）"
    )
    office_code: str | None = Field(
        None, min_length=1, max_length=32, description="代办员所在的村（社区）便民服务点编码（代办员必填）"
    )
    display_name: str | None = Field(None, min_length=1, max_length=64, description="姓名或称呼")

    _rules = field_validator("password", mode="before")(checked_new_password)


class UserRef(BaseModel):
    id: int
    role: Role
    must_change_password: bool = Field(
        False, description="管理员新建或重置了密码：须先 POST /auth/password 修改密码"
    )


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="access_token 有效秒数")
    user: UserRef


@details_model("USERNAME_TAKEN")
class UsernameTakenDetails(BaseModel):
    username: str = Field(description="已被使用的用户名")
