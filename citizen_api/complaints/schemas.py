"""Complaint shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.complaints import transitions
from citizen_api.http import PageQuery

ComplaintStatus = Literal[transitions.STATUSES]  # an enum in the served OpenAPI, from the transition table


class ComplaintIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    application_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="所投诉的办件（不填为投诉大厅服务）"
    )
    content: str = Field(min_length=5, max_length=2000, description="投诉内容")
    first_contact_staff: str | None = Field(
        None, max_length=50, description="首问负责人：最先接待您的工作人员（窗口号、姓名或工号）"
    )


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reply: str = Field(min_length=2, max_length=2000, description="答复内容")


class ComplaintView(BaseModel):
    # a complaint row with its case's number
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int | None
    application_number: str | None
    department_code: str | None
    content: str
    first_contact_staff: str = Field(validation_alias="first_contact_text")
    status: ComplaintStatus
    due_on: date = Field(description="答复期限")
    reply: str
    replied_at: datetime | None
    created_at: datetime


class StaffComplaintView(ComplaintView):
    first_contact_staff_id: int | None
    overdue: bool


class ComplaintQuery(PageQuery):
    status: ComplaintStatus | None = None
    department: str | None = Field(None, max_length=32)
