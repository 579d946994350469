"""What the 效能考评 endpoints take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.errors import details_model
from citizen_api.http.schemas import PageQuery

Level = Literal["department", "window", "staff"]
PartName = Literal["on_time", "warnings", "steps_overdue", "rating", "complaints"]
Board = Literal["red", "black"]


class Weights(BaseModel):
    """整数权重，合计须为 100。"""

    model_config = ConfigDict(extra="forbid")

    on_time: int = Field(ge=0, le=100, description="按期办结率")
    warnings: int = Field(ge=0, le=100, description="预警（未亮黄灯、红灯的办结件占比）")
    steps_overdue: int = Field(ge=0, le=100, description="环节超期（按时完成的环节占比）")
    rating: int = Field(ge=0, le=100, description="好差评（平均等级折算百分制）")
    complaints: int = Field(ge=0, le=100, description="投诉（每百件办结的投诉扣分）")


class WeightsOut(BaseModel):
    weights: Weights
    defaults: Weights = Field(description="未设置时使用的默认权重")
    updated_at: datetime | None = Field(description="最后修改时间；null 表示使用默认权重")


class Part(BaseModel):
    name: PartName
    label: str = Field(description="分项名称，如 按期办结")
    score: float | None = Field(
        description="分项得分 0–100；null 表示本月无此项数据（权重按比例分给其他分项）"
    )
    weight: int = Field(description="本月计算所用权重")
    numerator: float = Field(description="原始数：按期件数、预警件数、超期环节数、评价等级之和、投诉件数")
    denominator: int = Field(description="基数：有期限的办结件、办结件、环节数、评价件数、办结件")
    text: str = Field(description="原始数据说明，如 38/40 按期办结")


class RankedRow(BaseModel):
    rank: int | None = Field(description="名次（同分同名次）；无得分时为 null")
    board: Board | None = Field(description="red 红榜（前三名次）、black 黑榜（后三名次）")
    key: str = Field(description="部门编码、窗口 id 或工作人员账号 id（查询办件用）")
    label: str = Field(description="部门、窗口或工作人员名称")
    department_code: str | None
    score: float | None = Field(description="综合得分 0–100")
    cases: int = Field(description="计入的办件数")
    parts: list[Part]


class Ranking(BaseModel):
    month: str = Field(description="YYYY-MM（北京时间自然月）")
    level: Level
    computed_at: datetime
    weights: Weights = Field(description="该月计算时使用的权重")
    rows: list[RankedRow]


class LevelCount(BaseModel):
    level: Level
    rows: int


class MonthComputed(BaseModel):
    month: str
    computed_at: datetime
    weights: Weights
    levels: list[LevelCount] = Field(description="每个层级得分的行数")
    cases: int = Field(description="计入的办件数")


class RankingQuery(BaseModel):
    level: Level = "department"


class ScoreCase(BaseModel):
    case_id: int
    number: str = Field(description="办件编号")
    item_name: str
    decided: bool = Field(description="计为本月办结件（按期、预警、评价、投诉）；false：仅计其本月环节")
    on_time: bool | None = Field(description="按期办结；null 表示无办理期限或未作为办结件计入")
    warned: bool = Field(description="曾亮黄灯或红灯")
    rating: int | None = Field(description="好差评等级 1–5")
    complaints: int = Field(description="投诉件数")
    steps: int = Field(description="本月环节数")
    steps_overdue: int = Field(description="其中超期环节")


class ScoreCasesQuery(PageQuery):
    pass


class ExportQuery(BaseModel):
    month: str = Field(max_length=7, description="YYYY-MM")
    level: Level = "department"


@details_model("WEIGHTS_NOT_100")
class WeightsNot100Details(BaseModel):
    sum: int = Field(description="所填五项权重之和")


@details_model("MONTH_NOT_OVER")
class MonthNotOverDetails(BaseModel):
    computable_from: str = Field(description="可计算的日期（次月 1 日，北京时间）YYYY-MM-DD")


@details_model("MONTH_NOT_COMPUTED")
class MonthNotComputedDetails(BaseModel):
    month: str = Field(description="YYYY-MM")
