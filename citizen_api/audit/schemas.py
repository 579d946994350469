"""Audit trail shapes (``GET /staff/audit``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from citizen_api.http import PageQuery


class AuditQuery(PageQuery):
    object_type: str | None = Field(
        None, max_length=32, pattern=r"^[a-z_]+$", description="对象类型，如 application（办件）、rating"
    )
    object_id: str | None = Field(None, max_length=64, description="对象编号（办件为其 id）")
    action: str | None = Field(None, max_length=48, description="操作，如 case.reveal")


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor_id: int | None = Field(description="操作人账号 id；系统任务为 null")
    actor_name: str | None = Field(description="操作人（工作人员的姓名或用户名；群众不显示姓名）")
    actor_role: str = Field(description="window | approver | supervisor | admin | citizen | system")
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any] = Field(description="操作内容（不含个人身份信息）")
