"""The answers of the ``/applications`` paths for a bundle application (一件事一次办).

A bundle application shares the citizen's ``/applications`` paths with cases (its id is taken from
the cases' id sequence, so the two never collide); the cases routes declare these shapes beside the
case ones and the bundles domain (``citizen_api.bundles``, above cases, through ``cases.bundle_port``)
fills them. A bundle looks like a case to a client that knows only cases (``number``, ``item``,
``status`` of the case vocabulary, ``actions``) and adds ``kind: "bundle"`` and its ``children``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.cases.schemas import (
    CaseDetail,
    CaseItemRef,
    CitizenAction,
    StatusName,
    WarningLevel,
)
from citizen_api.ratings.schemas import RatingView

_ROW = ConfigDict(from_attributes=True)

BUNDLE_STATUS_DOC = (
    "由各子办件推导：有子办件需补正为 supplement_required；尚有子办件待受理为 submitted；"
    "均已受理、仍在办理为 accepted（全部暂停为 suspended）；全部办结后为 approved（至少一件准予）、"
    "rejected、delivered（结果均已送达）、not_accepted 或 withdrawn"
)


class BundleChildCreated(BaseModel):
    """A child case as ``POST /applications {bundle_code}`` answers it."""

    model_config = _ROW

    id: int
    number: str
    item_code: str
    department: str = Field(validation_alias="department_code", description="承办部门代码")
    status: StatusName


class BundleCreated(BaseModel):
    id: int = Field(description="一件事申请编号（与办件编号同一序列，用于 /applications/{id}）")
    number: str
    status: StatusName
    kind: Literal["bundle"] = "bundle"
    bundle_code: str
    children: list[BundleChildCreated] = Field(description="各部门的子办件")


class BundleChildBrief(BaseModel):
    model_config = _ROW

    id: int
    number: str
    item_code: str
    item_name: str
    department: str = Field(validation_alias="department_code")
    status: StatusName
    status_text: str
    deadline: date | None
    warning: WarningLevel


class BundleSummary(BaseModel):
    """A bundle application in the citizen's list: listed once, its children inside it."""

    id: int
    number: str
    kind: Literal["bundle"] = "bundle"
    bundle_code: str
    item: CaseItemRef = Field(description="一件事的编码和名称（与单个办件同一字段，便于列表展示）")
    status: StatusName = Field(description=BUNDLE_STATUS_DOC)
    status_text: str
    done: bool = Field(description="所有子办件均已办结（准予或不予许可）或终止")
    submitted_at: datetime
    deadline: date | None = Field(description="各子办件中最晚的办结期限")
    warning: WarningLevel = Field(description="各子办件中最严重的预警")
    actions: list[CitizenAction]
    children: list[BundleChildBrief]


class BundleTimelineEntry(BaseModel):
    status: StatusName
    status_text: str
    at: datetime
    note: str
    kind: str
    child_id: int = Field(description="该记录所属的子办件")
    item_name: str


class BundleMissing(BaseModel):
    id: int = Field(description="一件事合并材料清单中的材料编号（补正时按此编号提交）")
    name: str
    tolerable: bool
    child_id: int = Field(description="要求补正（或待补交）的子办件")
    item_name: str


class BundleDetail(BundleSummary):
    """One progress for the whole bundle: every child's full detail, one merged timeline, what is owed."""

    timeline: list[BundleTimelineEntry] = Field(description="各子办件时间线合并（按时间）")
    missing: list[BundleMissing] = Field(description="各部门要求补正或待补交的材料（合并编号）")
    rating: RatingView | None = Field(None, description="群众对本一件事的评价（各子办件各记一次）")
    decided_at: datetime | None = Field(description="最后一个子办件办结的时间（全部办结后）")
    children: list[CaseDetail]  # type: ignore[assignment]
