"""Calendar schemas: the admin's override and the day listing."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from citizen_api.workdays.days import DayInfo
from citizen_api.workdays.schedule import MAX_YEAR, MIN_YEAR

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_day(value: object) -> date:
    """``YYYY-MM-DD`` only (no timestamps, no times), a real date, in a sane year."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("应为日期 YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("不是有效的日期") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
    return day


IsoDay = Annotated[date, PlainValidator(parse_iso_day), WithJsonSchema({"type": "string", "format": "date"})]


class CalendarOverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["holiday_service", "closed", "workday"] = Field(
        description="holiday_service 节假日预约服务（不计入办理时限）；closed 闭厅；workday 调休上班"
    )
    note: str = Field("", max_length=100, description="说明，如“国庆预约服务”")


class CalendarQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    from_: IsoDay | None = Field(None, alias="from", description="起始日期，默认今天")
    to: IsoDay | None = Field(None, description="结束日期（含），默认起始日后 30 天；跨度不超过 366 天")


class CalendarDayOut(BaseModel):
    date: date
    weekday: int = Field(description="1 = 周一 … 7 = 周日")
    kind: Literal["workday", "makeup_workday", "weekend", "holiday", "holiday_service", "closed"]
    working_day: bool = Field(description="是否计入办理时限的工作日")
    known: bool = Field(description="false：该年度国务院放假安排未知，仅按周末推算")
    name: str | None = Field(None, description="节日名称或管理员说明")
    override: Literal["import", "admin"] | None = Field(
        None, description="来源：import 导入的年度安排，admin 管理员设置，空为内置日历"
    )

    @classmethod
    def of(cls, info: DayInfo) -> CalendarDayOut:
        return cls(
            date=info.date,
            weekday=info.date.isoweekday(),
            kind=info.kind,
            working_day=info.is_working_day,
            known=info.known,
            name=info.name,
            override=info.override,
        )


class CalendarImportQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    dry_run: bool = Field(True, description="true（默认）：只预览，不写入；false：导入")


class CalendarImportChange(BaseModel):
    date: date
    name: str | None = Field(description="导入后该日的名称（节日名、调休上班）")
    kind_before: str = Field(description="导入前的类型；年度未知为 unknown")
    kind_after: str


class CalendarImportOut(BaseModel):
    year: int
    known_before: bool = Field(description="导入前该年度是否已知（内置日历或已导入）")
    applied: bool = Field(description="是否已写入（dry_run=false）")
    holidays: int = Field(description="放假日期数")
    workdays: int = Field(description="调休上班日期数")
    changes: list[CalendarImportChange] = Field(description="逐日变化（管理员对单日的设置仍然优先）")


IMPORT_BODY_DOC = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["year", "holidays"],
                "properties": {
                    "year": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                    "holidays": {
                        "type": "array",
                        "maxItems": 40,
                        "items": {
                            "type": "object",
                            "required": ["name", "dates"],
                            "properties": {
                                "name": {"type": "string", "maxLength": 50},
                                "dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                            },
                        },
                    },
                    "workdays": {"type": "array", "items": {"type": "string", "format": "date"}},
                },
            },
            "example": {
                "year": 2027,
                "holidays": [{"name": "春节", "dates": ["2027-02-06", "2027-02-07"]}],
                "workdays": ["2027-02-14"],
            },
        }
    },
    "description": "与 onetrip holidays import 相同的年度放假安排文件",
}
