"""What the search endpoints accept (the citizen's query and filters) and the type-ahead's answer.

The list's items are the catalog's ``ItemSummary`` (``citizen_api.catalog.schemas``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.http.schemas import PageQuery


class Suggestion(BaseModel):
    code: str
    name: str
    department: str
    department_name: str


class Suggestions(BaseModel):
    items: list[Suggestion]


class ItemQuery(PageQuery):
    q: str | None = Field(
        None, max_length=50, description="关键词：中文、拼音全拼或首字母（yyzz）、俗称，容错"
    )
    trips: int | None = Field(None, ge=0, le=2, description="到现场次数 0、1、2")
    online: bool | None = Field(None, description="可网办")
    department: str | None = Field(None, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$")
    audience: Literal["personal", "business"] | None = Field(None, description="服务对象")
    deliverable: bool | None = Field(None, description="支持免费邮寄")
    bookable: bool | None = Field(None, description="支持预约")


class SuggestQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str = Field(min_length=1, max_length=50, description="已输入的文字或拼音")
    size: int = Field(8, ge=1, le=20)
