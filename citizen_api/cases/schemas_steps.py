"""Shapes of 电子监察 per step: a case's steps, completing and handing one over, the step warnings
and the per-step figures."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.cases.schemas import Note
from citizen_api.cases.schemas_supervision import StatsQuery
from citizen_api.http import PageQuery

StaffId = Field(ge=1, le=2_147_483_647, description="工作人员账号 id")
StepState = Literal["pending", "open", "done", "skipped"]
StepWarning = Literal["none", "yellow", "red"]
StepAction = Literal["complete", "reassign"]

STEP_STATE_TEXT = {"pending": "未开始", "open": "办理中", "done": "已完成", "skipped": "未经办（已办结）"}


class AcceptWithHolder(Note):
    """受理: the first supervised step's holder is the accepting clerk unless another is named."""

    step_holder_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="首个监察环节的承办人（默认受理人；须为本部门工作人员）"
    )


class CompleteStep(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    next_holder_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="下一环节承办人（本部门工作人员；默认本人）"
    )
    note: str = Field("", max_length=200, description="办理意见")


class StepHolderChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: int = StaffId
    reason: str = Field("", max_length=200, description="转交原因（记入审计日志）")


class StepHolder(BaseModel):
    id: int
    name: str
    role: str = Field(description="window 窗口 / approver 审批")


class CaseStepView(BaseModel):
    seq: int
    code: str
    name: str
    post: str = Field(description="承办岗位")
    days: int = Field(description="环节时限（工作日）")
    state: StepState
    state_text: str
    holder_id: int | None
    holder_name: str | None = Field(description="承办人")
    started_on: date | None
    limit_on: date | None = Field(description="环节期限（暂停计时顺延）")
    limit_uncertain: bool = Field(description="期限跨越尚未公布节假日安排的年度，按双休日推算")
    finished_on: date | None
    finished_by_name: str | None
    days_used: int | None = Field(description="用时（工作日，不含暂停）")
    overdue: bool = Field(description="超过环节期限（已完成的按完成日，办理中的按今天）")
    warning: StepWarning = Field(
        description="当前预警：办理中的环节剩 1 个工作日或当天到期为黄灯，超期为红灯"
    )
    note: str


class CaseSteps(BaseModel):
    case_id: int
    number: str
    status: str
    steps: list[CaseStepView] = Field(description="事项指南的电子监察环节；事项未设环节时为空")
    current: CaseStepView | None = Field(description="当前办理中的环节")
    holders: list[StepHolder] = Field(description="可承办的本部门工作人员（下一环节、转交的候选）")
    actions: list[StepAction] = Field(description="本工作人员现在可对当前环节进行的操作")


class StepWarningQuery(PageQuery):
    level: StepWarning | None = Field(None, description="yellow 或 red；默认两者")
    department: str | None = Field(None, max_length=32, pattern=r"^[A-Za-z0-9_]+$")


class StepWarningView(BaseModel):
    case_id: int
    number: str
    item_name: str
    status: str
    department_code: str
    department_name: str | None
    deadline: date | None = Field(description="办件办理期限")
    step: CaseStepView


class StepStatsQuery(StatsQuery):
    pass


class StepFigures(BaseModel):
    finished: int = Field(description="区间内完成的环节数")
    average_working_days: float | None = Field(description="完成环节的平均用时（工作日）")
    max_working_days: int | None = Field(description="完成环节的最长用时（工作日）")
    overdue: int = Field(description="超期：区间内超期完成的，加上现在办理中已超期的")
    open: int = Field(description="现在办理中的环节数（区间截止日前开始的）")


class StepCodeStats(StepFigures):
    code: str
    name: str


class PostStats(StepFigures):
    post: str


class StepStats(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    department: str | None
    by_step: list[StepCodeStats]
    by_post: list[PostStats]
