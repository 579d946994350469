"""Request and answer shapes of the bundles API (names prefixed ``Bundle`` to stay unique in OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

BundleStatus = Literal["draft", "published"]
Necessity = Literal["required", "tolerated", "optional"]
_CODE = r"^[A-Za-z0-9_-]+$"


class BundleOut(BaseModel):
    """The contract's list entry: ``{code, name, items: [item_code, …]}``."""

    code: str
    name: str
    items: list[str] = Field(description="所含事项的实施编码（按办理顺序）")
    description: str
    departments: list[str] = Field(description="涉及的部门代码")
    promised_days: int = Field(description="承诺办结时限：各事项并联办理，取最长者（工作日）")


class BundleItemOut(BaseModel):
    code: str
    name: str
    department: str = Field(description="部门代码")
    department_name: str
    promised_days: int
    legal_days: int
    trips: int
    online: bool
    deliverable: bool


class BundleMaterialOut(BaseModel):
    id: int = Field(description="合并清单中的材料编号（提交 POST /applications {bundle_code} 时的键）")
    name: str
    required: bool = Field(description="必须提交（容缺材料也为 true，可先受理后补交）")
    necessity: Necessity
    tolerated: bool
    kind: str = Field(description="材料复用键（如 id_card）：多个事项需要的同一材料只交一次")
    form: str
    forms: list[str]
    copies: int
    source: str
    note: str
    items: list[str] = Field(description="需要该材料的事项（实施编码）")


class BundleGuide(BundleOut):
    """The combined guide (一次性告知): every item, one deduplicated materials list, the promised days."""

    form_name: str = Field(description="一表申请：合并后的申请表，替代各事项的申请表")
    status: BundleStatus
    guide_items: list[BundleItemOut] = Field(description="各事项的概要")
    materials: list[BundleMaterialOut] = Field(description="合并去重后的材料清单")


class BundleAdminView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    description: str
    form_name: str
    items: list[str] = Field(validation_alias="item_codes")
    status: BundleStatus
    sort: int
    published_at: datetime | None
    updated_at: datetime


class BundleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=2, max_length=64, pattern=_CODE, description="一件事编码")
    name: str = Field(min_length=2, max_length=100)
    description: str = Field("", max_length=2000)
    form_name: str = Field("", max_length=100, description="合并申请表名称（默认《一件事名称联办申请表》）")
    items: list[str] = Field(min_length=2, max_length=20, description="事项实施编码（至少 2 项）")
    sort: int = Field(0, ge=0, le=10_000)

    @field_validator("items")
    @classmethod
    def _items(cls, value: list[str]) -> list[str]:
        if any(not 1 <= len(code) <= 64 for code in value):
            raise ValueError("事项编码无效")
        if len(set(value)) != len(value):
            raise ValueError("事项重复")
        return value


class BundleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=2, max_length=100)
    description: str | None = Field(None, max_length=2000)
    form_name: str | None = Field(None, max_length=100)
    items: list[str] | None = Field(None, min_length=2, max_length=20)
    sort: int | None = Field(None, ge=0, le=10_000)

    @field_validator("items")
    @classmethod
    def _items(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else BundleIn._items(value)


class BundleStats(BaseModel):
    filed: int = Field(description="期间提交的一件事申请数（其子办件已计入各部门办件）")
    done: int = Field(description="其中已全部办结的")
    published: int = Field(description="已发布的一件事数")
