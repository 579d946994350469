"""Schemas shared by every domain: paging and the error body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    size: int = Field(20, ge=1, le=100, description="每页条数")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int
    items: list[T]


class ErrorDetail(BaseModel):
    code: str = Field(description="稳定的英文错误码，如 SLOT_FULL")
    message: str = Field(description="给市民看的中文说明")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    error: ErrorDetail


class Message(BaseModel):
    ok: bool = True
