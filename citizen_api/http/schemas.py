"""Schemas shared by every domain: paging and the error body."""

from __future__ import annotations

from datetime import date, timedelta
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


class Overlay:
    """A row seen with computed attributes laid over it, for ``Schema.model_validate`` (from_attributes):
    the schema maps the row's own fields, the caller names each computed value explicitly."""

    __slots__ = ("_row", "_values")

    def __init__(self, row: object, **values: Any) -> None:
        self._row = row
        self._values = values

    def __getattr__(self, name: str) -> Any:  # called for every name but the two slots
        if name in self._values:
            return self._values[name]
        return getattr(self._row, name)


# -- statistics: one period rule and one unit for every stats endpoint

DEFAULT_PERIOD_DAYS = 30


class PeriodQuery(BaseModel):
    """A statistics period, both ends included; without one, the last 30 days up to today."""

    from_: date | None = Field(
        None,
        alias="from",
        description=f"起始日期（含），默认为截止日期在内的最近 {DEFAULT_PERIOD_DAYS} 天",
    )
    to: date | None = Field(None, description="截止日期（含），默认今天")

    def period(self, today: date) -> tuple[date, date]:
        end = self.to or today
        return self.from_ or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end


def percent(part: int, whole: int) -> float | None:
    """A rate in percent (0–100, two decimals); None when there is nothing to divide by (no data, not 0 %)."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 2)
