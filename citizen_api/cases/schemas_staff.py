"""Request and answer shapes of the staff's case API: the inbox (search, filters, counts) and the
detail (allowed actions, the materials table beside the files, the timeline with who did each step)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from citizen_api.cases.schemas import (
    CaseAddressView,
    CaseBrief,
    CaseDeliveryAddress,
    CaseDetail,
    CaseTimelineEntry,
    MaterialUploads,
    StaffAction,
    WarningLevel,
    _check_material_uploads,
)
from citizen_api.cases.schemas_steps import CaseStepView
from citizen_api.cases.transitions import STATUS_TEXT, STATUSES
from citizen_api.http import PageQuery
from citizen_api.security.identity import IdNumber, MobileNumber

_ROW = ConfigDict(from_attributes=True)

SORTS = ("newest", "deadline")
StaffCaseSort = Literal[SORTS]  # type: ignore[valid-type]
Requirement = Literal["required", "tolerated", "optional"]

_STATUS_DOC = "办件状态，可用英文逗号列出多个（如 submitted,supplement_required）；可选值：" + "、".join(
    f"{s}（{STATUS_TEXT[s]}）" for s in STATUSES
)
_Q_DOC = (
    "检索：办件编号（完整或其中一段，不区分大小写）、申请人姓名（须为完整姓名，整名匹配，不做部分匹配）"
    "或申请人手机号后四位。四位数字同时按手机尾号和编号片段查找；含汉字按姓名查找；其余按编号片段查找"
)
_SORT_DOC = (
    "排序：newest 最新提交在前（默认）；deadline 办理期限最近的在前，无期限的在后，同一期限先提交的在前"
)


class StaffCaseQuery(PageQuery):
    q: str | None = Field(None, min_length=1, max_length=64, description=_Q_DOC)
    status: str | None = Field(None, max_length=300, description=_STATUS_DOC)
    warning: WarningLevel | None = None
    department: str | None = Field(None, max_length=32, description="部门编码（监察、管理员可用）")
    number: str | None = Field(None, max_length=32, description="办件编号（完整）")
    calendar_uncertain: bool | None = Field(None, description="只看依据未知年度日历计算期限的办件")
    missing_overdue: bool | None = Field(None, description="true：只看已过补正截止日期仍未补齐材料的办件")
    sort: StaffCaseSort = Field("newest", description=_SORT_DOC)

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: str | None) -> str | None:
        if value is None:
            return None
        names = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
        unknown = [name for name in names if name not in STATUSES]
        if unknown:
            raise ValueError("未知的办件状态：" + "、".join(unknown[:5]))
        return ",".join(names) or None

    @property
    def statuses(self) -> list[str]:
        """The statuses asked for (empty: every status)."""
        return self.status.split(",") if self.status else []


class StaffCaseSummary(CaseBrief):
    department_code: str
    accepted_on: date | None
    calendar_uncertain: bool
    missing_count: int
    missing_due: date | None
    missing_overdue: bool = Field(description="已过补正截止日期而材料仍未补齐")
    applicant_name: str | None = Field(description="申请人姓名（脱敏，与详情相同：如 张*丰、李*）")
    working_days_left: int | None = Field(
        description="距办理期限的剩余工作日（今天之后、期限当日含在内；已超期为负数）；"
        "未受理、已办结或期限跨越日历尚未公布的年度时为 null"
    )


# the inbox badges: one count per status of the transition table, and the two warning colours
StaffCaseCounts = create_model(
    "StaffCaseCounts",
    __doc__="本人可见范围内各状态的办件数，以及黄灯、红灯预警数（工作台角标）",
    **{status: (int, Field(description=STATUS_TEXT[status])) for status in STATUSES},
    warning_yellow=(int, Field(description="黄灯预警（临近期限）的办件数")),
    warning_red=(int, Field(description="红灯预警（已超期限）的办件数")),
)


class CaseApplicantView(BaseModel):
    name: str | None
    id_number: str | None
    phone: str | None


class StaffTimelineActor(BaseModel):
    role: str = Field(description="citizen 申请人、window、approver、supervisor、admin，system 系统")
    name: str = Field(description="工作人员的姓名或用户名；申请人为「申请人」，系统任务为「系统」")


class StaffTimelineEntry(CaseTimelineEntry):
    actor: StaffTimelineActor


class StaffMaterialFile(BaseModel):
    upload_id: int
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime
    replaced: bool = Field(description="此后补正/补交的文件已替换本文件")
    preview_url: str = Field(
        description="短时有效的签名预览地址（无需登录令牌，可直接用于 <img> 或 PDF 预览）；"
        "过期后重新打开详情获取"
    )
    preview_expires_at: datetime


class StaffMaterialLicence(BaseModel):
    """An e-licence the applicant consented to use for a material (issue 17): shown instead of files;
    once the consent is revoked only the status remains (授权已撤回), never the licence's content."""

    status: Literal["granted", "revoked"]
    status_text: str = Field(description="已授权使用电子证照 | 授权已撤回")
    licence_type: str | None = Field(None, description="证照类型名称，如 营业执照")
    number: str | None = Field(None, description="证照编号")
    issuer: str | None = Field(None, description="发证机关")
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="有效期至（null = 长期）")
    consented_at: datetime
    revoked_at: datetime | None = None


class StaffMaterialRow(BaseModel):
    material_id: int
    name: str
    requirement: Requirement = Field(
        description="required 必要，tolerated 容缺（可先受理、后补交），optional 非必要"
    )
    form: str = Field(description="材料形式，如 原件、复印件")
    copies: int
    note: str
    missing: bool = Field(description="尚未提交（容缺或要求补正）")
    due: date | None = Field(description="容缺/补正材料的截止日期（未欠交为 null）")
    files: list[StaffMaterialFile]
    licence: StaffMaterialLicence | None = Field(
        None, description="以电子证照代替提交时的证照（授权撤回后仅显示状态）"
    )


class CaseItemVersionRef(BaseModel):
    model_config = _ROW

    id: int
    version: int = Field(description="办事指南版本号（申请时所依据的版本）")


class StaffPointConsent(BaseModel):
    """村级代办: the villager's consent, signed at the village point when its 代办员 filed the case."""

    point_code: str = Field(description="代办的村（社区）便民服务点编码")
    point_name: str = Field(description="服务点名称")
    agent_name: str = Field(description="代办员")
    consented_at: datetime = Field(description="群众签字确认的时间")
    signature_upload_id: int
    signature_url: str = Field(description="签名图片的短时有效签名预览地址")
    signature_expires_at: datetime


class StaffCaseDetail(CaseDetail):
    applicant: CaseApplicantView = Field(
        description="申请人（脱敏；完整信息经 POST /staff/applications/{id}/reveal 查看并记入审计日志）"
    )
    suspended_on: date | None
    suspended_days: int
    decision_note: str
    on_time: bool | None
    delivery_address: CaseAddressView | None = Field(None, description="邮寄地址（脱敏）")
    item_version: CaseItemVersionRef
    timeline: list[StaffTimelineEntry]  # type: ignore[assignment]
    materials: list[StaffMaterialRow] = Field(  # type: ignore[assignment]
        description="申请时所依据版本的材料清单，逐项列出已提交的文件"
    )
    allowed_actions: list[StaffAction] = Field(
        description="本工作人员当前可进行的办件操作（按办件状态与角色）"
    )
    staff_actions: list[StaffAction] = Field(
        deprecated=True, description="已弃用，同 allowed_actions（将移除）"
    )
    steps: list[CaseStepView] = Field(
        default_factory=list, description="电子监察环节（事项未设环节时为空）：期限、承办人、状态"
    )
    point_consent: StaffPointConsent | None = Field(
        None, description="村级代办：群众在便民服务点签字确认的记录（其他办件为 null）"
    )


class CaseRevealRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field("", max_length=200, description="查看事由（记入审计日志）")


class CaseRevealed(BaseModel):
    id: int
    number: str
    name: str | None
    id_number: str | None
    phone: str | None
    delivery_address: CaseAddressView | None = Field(None, description="邮寄地址（完整）")


# -- 帮办: a window clerk files a case for a citizen at the hall (cases/staff_filing.py)
class StaffFilingCitizen(BaseModel):
    """The citizen at the counter, as their ID card shows (their account is found or opened)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(
        min_length=2, max_length=30, pattern=r"^[\u4e00-\u9fffA-Za-z·•. ]{2,30}$", description="姓名"
    )
    id_number: IdNumber = Field(min_length=18, max_length=18, description="居民身份证号码（18 位）")
    phone: MobileNumber = Field(min_length=11, max_length=20, description="中国大陆手机号")


class StaffCaseFiling(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_code: str = Field(min_length=1, max_length=64, description="事项实施编码（本部门的事项）")
    citizen: StaffFilingCitizen = Field(description="申请人")
    materials: MaterialUploads = Field(
        default_factory=dict, description="材料编号 → 工作人员扫描上传的文件编号列表"
    )
    tolerate_missing: bool = Field(False, description="容缺受理：容缺材料可后补")
    delivery: CaseDeliveryAddress | None = Field(None, description="办理结果邮寄地址（可选）")

    @field_validator("materials")
    @classmethod
    def _materials(cls, value: MaterialUploads) -> MaterialUploads:
        return _check_material_uploads(value)
