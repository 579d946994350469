"""Shapes of 电子监察: the warning list and the statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AliasPath, BaseModel, ConfigDict, Field, model_validator

from citizen_api.http import PageQuery
from citizen_api.http.schemas import PeriodQuery


class WarningQuery(PageQuery):
    level: Literal["yellow", "red", "calendar_uncertain"] | None = None
    department: str | None = Field(None, max_length=32)
    open_only: bool = Field(False, description="只看仍在办理中的办件")
    sort: Literal["newest", "days_overdue"] = Field(
        "newest", description="newest 最新预警在前；days_overdue 超期最久在前（按办理期限从早到晚）"
    )


def _case(name: str) -> AliasPath:
    return AliasPath("application", name)


class WarningView(BaseModel):
    # a warning row with its case (the case's current warning is computed)
    model_config = ConfigDict(from_attributes=True)

    id: int
    level: str = Field(description="yellow 黄灯 | red 红灯 | calendar_uncertain 期限依据未知年度日历")
    department_code: str
    department_name: str | None = Field(None, description="责任部门")
    created_at: datetime
    case_id: int = Field(validation_alias=_case("id"))
    number: str = Field(validation_alias=_case("number"))
    item_name: str = Field(validation_alias=_case("item_name"))
    status: str = Field(validation_alias=_case("status"))
    deadline: date | None = Field(validation_alias=_case("deadline"))
    warning: str = Field(description="办件当前的预警状态")
    calendar_uncertain: bool = Field(validation_alias=_case("calendar_uncertain"))
    days_overdue: int = Field(0, description="超过办理期限的工作日数（截至今天或办结日）；未超期为 0")


class StatsQuery(PeriodQuery):
    department: str | None = Field(None, max_length=32)

    @model_validator(mode="after")
    def _range(self) -> StatsQuery:
        if self.from_ and self.to:
            if self.from_ > self.to:
                raise ValueError("起始日期不能晚于截止日期")
            if (self.to - self.from_).days > 3660:
                raise ValueError("统计区间不能超过十年")
        return self


class OpenByWarning(BaseModel):
    none: int = 0
    yellow: int = 0
    red: int = 0
    calendar_uncertain: int = 0


class DepartmentStats(BaseModel):
    department_code: str
    department_name: str | None
    submitted: int = Field(description="区间内提交的办件数")
    decided: int = Field(description="区间内办结（准予或不予）的办件数")
    on_time: int = Field(description="其中按期办结的")
    on_time_rate: float | None = Field(description="按期办结率 %（0–100）：按期办结 / 办结")
    average_working_days: float | None = Field(description="受理到办结的平均工作日（不含暂停）")
    online_share: float | None = Field(description="网上申请占比 %（0–100）")
    zero_trip_share: float | None = Field(description="零跑动占比 %（0–100）：事项无需到现场且未到窗口领取")
    open_by_warning: OpenByWarning


class Stats(BaseModel):
    from_: date = Field(alias="from")
    to: date
    departments: list[DepartmentStats]
    total: DepartmentStats


SeriesMetric = Literal[
    "on_time_rate",
    "good_rate",
    "satisfaction",
    "online_rate",
    "zero_trip_rate",
    "avg_working_days",
    "finished",
    "open_yellow",
    "open_red",
    "warnings_yellow",
    "warnings_red",
]


class SeriesQuery(StatsQuery):
    metric: SeriesMetric = Field(
        description="on_time_rate 按期办结率 %、good_rate 好评率 %、satisfaction 满意度（平均等级 1–5）、"
        "online_rate 网办率 %、zero_trip_rate 零跑动率 %、avg_working_days 平均办结工作日、finished 办结数、"
        "open_yellow / open_red 期末黄灯、红灯在办数、warnings_yellow / warnings_red 新增黄灯、红灯预警数"
    )
    interval: Literal["week", "month"] = Field(
        "week", description="week 按周（周一起）| month 按月（1 日起）"
    )


class SeriesPoint(BaseModel):
    period_start: date = Field(description="周期起始日（周一或每月 1 日）")
    value: float | None = Field(description="该周期的数值；比率类无数据为 null，计数类为 0")


class DashboardQuery(StatsQuery):
    interval: Literal["week", "month"] = Field("week", description="趋势图的周期：week | month")


class DashboardPeriod(BaseModel):
    from_: date = Field(serialization_alias="from")
    to: date


class DashboardFigures(BaseModel):
    on_time_rate: float | None = Field(description="按期办结率 %")
    good_rate: float | None = Field(description="好评率 %")
    online_rate: float | None = Field(description="网办率 %")
    zero_trip_rate: float | None = Field(description="零跑动率 %")
    avg_working_days: float | None = Field(description="平均办结工作日")
    open: int = Field(description="当前在办（已受理、暂停计时）办件数")
    open_yellow: int = Field(description="当前黄灯在办数")
    open_red: int = Field(description="当前红灯在办数")
    ratings: dict[str, int] = Field(description='期间各评价等级的数量 {"1": n, …, "5": n}')


class DashboardDepartment(DashboardFigures):
    code: str
    name: str | None


class Dashboard(BaseModel):
    period: DashboardPeriod
    interval: Literal["week", "month"]
    departments: list[DashboardDepartment]
    totals: DashboardFigures
    series: dict[SeriesMetric, list[SeriesPoint]]
