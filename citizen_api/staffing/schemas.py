"""What the AB角 endpoints take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.errors import details_model
from citizen_api.security.principal import StaffRole
from citizen_api.staffing.transitions import STATUSES

AbsenceStatus = Literal[STATUSES]  # type: ignore[valid-type]


class BackupBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backup_user_id: int = Field(ge=1, le=2_147_483_647, description="B 角：同部门、同岗位、在岗的工作人员")


class AbsenceBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=2, max_length=200, description="缺岗原因，如 病假、外出培训")


class BackupsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str | None = Field(None, min_length=1, max_length=32, description="部门编码；不填为全部")


class StaffRef(BaseModel):
    id: int
    username: str
    name: str = Field(description="姓名（无则为用户名）")
    role: StaffRole
    department: str | None
    is_active: bool


class AbsenceOut(BaseModel):
    id: int
    user_id: int = Field(description="缺岗的 A 角")
    backup_user_id: int = Field(description="接手的 B 角")
    status: AbsenceStatus
    status_text: str
    reason: str
    started_at: datetime
    ended_at: datetime | None
    case_ids: list[int] = Field(description="缺岗时转交 B 角的办件")
    tickets: list[str] = Field(description="缺岗时转到 B 角窗口的号（已叫号、办理中）")
    window_group: str | None = Field(description="B 角代为叫号的窗口组（A 角的窗口组）")
    returned_case_ids: list[int] = Field(description="返岗时收回的办件（仍由 B 角持有的）")
    summary: str = Field(description="如：已转交 2 件、1 个号")


class BackupOut(BaseModel):
    user: StaffRef
    backup: StaffRef | None = Field(description="B 角；未指定为 null")
    absence: AbsenceOut | None = Field(description="当前的缺岗；在岗为 null")
    covering: list[StaffRef] = Field(default_factory=list, description="本人正代办理的缺岗同事")
    candidates: list[StaffRef] = Field(
        default_factory=list, description="可担任 B 角的同事（同部门、同岗位、在岗，不含本人）"
    )


@details_model("BACKUP_INVALID")
class BackupInvalidDetails(BaseModel):
    backup_user_id: int
    reason: Literal["unknown", "self", "department", "role", "inactive"] = Field(
        description="unknown 无此工作人员；self 本人；department 不同部门；role 不同岗位；inactive 已停用"
    )


@details_model("BACKUP_ABSENT", "NO_BACKUP")
class BackupStateDetails(BaseModel):
    backup_user_id: int | None = Field(None, description="B 角")


@details_model("NOT_ABSENT", "ALREADY_ABSENT")
class AbsenceStateDetails(BaseModel):
    status: str = Field(description="当前状态：absent 缺岗；on_duty 在岗")
