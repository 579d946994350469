"""好差评 request and answer shapes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from citizen_api.errors import details_model
from citizen_api.http import PageQuery
from citizen_api.http.schemas import PeriodQuery
from citizen_api.ratings import models, transitions, vocabulary

# enums of the served OpenAPI, derived from the transition tables and the kinds (one source of truth)
RectificationStatus = Literal[transitions.RECTIFICATION_STATUSES]
AppealStatus = Literal[transitions.APPEAL_STATUSES]
RatingKind = Literal[models.KINDS]
Verdict = Literal[tuple(vocabulary.RECTIFICATION_VERDICTS)]
MAX_STATS_DAYS = 366


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    level: int = Field(ge=1, le=5, description="5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意")
    tags: list[str] = Field(default_factory=list, max_length=8, description="评价标签（须与等级相符）")
    comment: str = Field("", max_length=500, description="文字评价")

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if any(len(tag) > 20 for tag in value):
            raise ValueError("标签过长")
        level = info.data.get("level")
        if level is None:
            return value  # the level itself is wrong; that error is reported
        wrong = vocabulary.invalid_tags(level, value)
        if wrong:
            raise ValueError(f"标签与评价等级不符：{'、'.join(wrong)}")
        return list(dict.fromkeys(value))


class RectificationView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: RectificationStatus
    status_text: str
    visit_due: date
    rectify_due: date
    visited_at: datetime | None
    visit_note: str
    rectified_at: datetime | None
    rectify_note: str
    verdict: Verdict | None
    verdict_text: str | None
    closed_at: datetime | None


class RatingView(BaseModel):
    # a rating row with its rectification (prefetched)
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: RatingKind
    application_id: int | None
    appointment_id: int | None
    level: int
    level_text: str
    tags: list[str]
    comment: str
    automatic: bool = Field(description="超过评价期限未评价，系统默认「基本满意」")
    created_at: datetime
    rectification: RectificationView | None = None


class NoteView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor_role: str
    from_status: Literal[("", *transitions.RECTIFICATION_STATUSES)] = Field(description="空：差评刚转办")
    to_status: RectificationStatus
    note: str


class AppealView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rating_id: int
    department_code: str
    reason: str
    status: AppealStatus
    filed_at: datetime
    decided_at: datetime | None
    decision_reason: str


StaffAction = Literal["reveal_contact", "return_visit", "rectify", "appeal"]


class StaffRatingView(RatingView):
    department_code: str
    department_name: str | None = None
    application_number: str | None
    rectification_status: RectificationStatus | None = Field(None, description="整改状态；非差评为 null")
    rectification_status_text: str | None = None
    visit_due: date | None = Field(None, description="回访期限（工作日）")
    visited_at: datetime | None = None
    rectify_due: date | None = Field(None, description="整改期限（工作日）")
    overdue: bool = Field(False, description="回访或整改已超过期限而未完成")
    excluded: bool
    exclusion_reason: str
    notes: list[NoteView] = Field(default_factory=list)
    appeals: list[AppealView] = Field(default_factory=list)
    actions: list[StaffAction] = Field(
        default_factory=list,
        description="本人现在可做的操作：reveal_contact 查看联系方式、return_visit 记录回访、"
        "rectify 登记整改、appeal 申诉",
    )


class StaffRatingQuery(PageQuery):
    bad: bool | None = Field(None, description="true：只看差评（不满意、非常不满意）")
    status: RectificationStatus | None = Field(None, description="整改状态")
    kind: RatingKind | None = None
    department: str | None = Field(None, max_length=32, description="部门编码（监察、管理员可用）")


class RectificationStepIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str = Field(min_length=1, max_length=1000, description="回访或整改情况说明")


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    verdict: Verdict = Field(description="对整改结果的评价：满意、基本满意、不满意")
    comment: str = Field("", max_length=500)


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=5, max_length=1000, description="申诉理由（恶意差评、误评的依据）")


class AppealDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    uphold: bool = Field(description="true：申诉成立，该评价不计入统计（不删除）")
    reason: str = Field(min_length=2, max_length=1000)


class AppealQuery(PageQuery):
    status: AppealStatus | None = None


class StatsQuery(PeriodQuery):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    department: str | None = Field(None, max_length=32, description="部门编码；不填为全中心")

    @model_validator(mode="after")
    def _period(self) -> StatsQuery:
        if self.from_ is not None and self.to is not None:
            if self.to < self.from_:
                raise ValueError("截止日期不能早于起始日期")
            if self.to - self.from_ > timedelta(days=MAX_STATS_DAYS):
                raise ValueError(f"统计区间不能超过 {MAX_STATS_DAYS} 天")
        return self


class RatesView(BaseModel):
    rated: int = Field(description="参与统计的评价数（含默认好评，不含申诉成立的评价）")
    good: int
    bad: int
    bad_rectified: int
    done_cases: int = Field(description="期间办结的办件数")
    unrated_cases: int = Field(description="期间办结但群众未主动评价的办件数")
    active_rated: int = Field(description="群众主动评价数")
    active_good: int
    good_rate: float | None = Field(description="好评率 %：满意、非常满意 / 评价数")
    satisfaction: float | None = Field(None, description="满意度：评价等级的平均值（1–5）")
    bad_rate: float | None = Field(description="差评率 %：不满意、非常不满意 / 评价数")
    rectify_rate: float | None = Field(description="差评整改率 %：已整改差评 / 差评数")
    unrated_rate: float | None = Field(description="未评价率 %：未主动评价的办结件 / 办结件")
    active_good_rate: float | None = Field(description="主动评价好评率 %：不含系统默认评价")


class DepartmentRates(RatesView):
    department: str
    department_name: str


class StatsView(BaseModel):
    from_: date = Field(serialization_alias="from")
    to: date
    overall: RatesView
    departments: list[DepartmentRates]


class VocabularyView(BaseModel):
    levels: dict[int, str]
    tags: dict[int, list[str]]
    verdicts: dict[str, str]


@details_model("RETURN_VISIT_REQUIRED")
class ReturnVisitRequiredDetails(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="整改当前状态（open：待回访）")
    action: str
    allowed: list[str] = Field(description="当前可进行的操作（return_visit）")


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=2, max_length=200, description="查看事由（如“差评回访”），记入审计日志")


class RatingContact(BaseModel):
    rating_id: int
    name: str | None = Field(description="评价人姓名")
    phone: str | None = Field(description="评价人手机号（完整，用于回访）")
