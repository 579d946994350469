"""Request and answer shapes of the cases API (names prefixed ``Case`` to stay unique in OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from citizen_api.agents.schemas import FiledBy
from citizen_api.cases.address import DeliveryAddress
from citizen_api.cases.deadlines import WARNING_LEVELS
from citizen_api.cases.transitions import CITIZEN_ACTIONS, STAFF_ACTIONS, STATUSES
from citizen_api.catalog.schemas import FormFieldName
from citizen_api.http import PageQuery
from citizen_api.ratings.schemas import RatingView

Id = Field(ge=1, le=2_147_483_647)
# the enums of the answers, from the transition table and the clock, so they cannot drift
StatusName = Literal[STATUSES]  # type: ignore[valid-type]
WarningLevel = Literal[WARNING_LEVELS]  # type: ignore[valid-type]
CitizenAction = Literal[CITIZEN_ACTIONS]  # type: ignore[valid-type]
StaffAction = Literal[STAFF_ACTIONS]  # type: ignore[valid-type]
# material id → the citizen's upload ids for it
MaterialUploads = dict[int, list[int]]
# material id → the citizen's e-licence id that satisfies it; form field → the value the citizen confirmed
LicenceChoices = Annotated[dict[Annotated[int, Id], Annotated[int, Id]], Field(max_length=100)]
FormValues = Annotated[
    dict[FormFieldName, Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]],
    Field(max_length=50),
]


def _check_material_uploads(value: MaterialUploads) -> MaterialUploads:
    if len(value) > 100:
        raise ValueError("材料条目过多")
    for material_id, upload_ids in value.items():
        if not 1 <= material_id <= 2_147_483_647:
            raise ValueError("材料编号无效")
        if len(upload_ids) > 20:
            raise ValueError("单项材料的文件过多（最多 20 个）")
        if any(not 1 <= upload_id <= 2_147_483_647 for upload_id in upload_ids):
            raise ValueError("文件编号无效")
    return value


# the contract's ADDRESS, one shape for submission and PUT /applications/{id}/delivery
CaseDeliveryAddress = DeliveryAddress


class CaseSubmit(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_code: str | None = Field(None, min_length=1, max_length=64, description="事项实施编码")
    # 一件事一次办 (citizen_api.bundles): instead of item_code; materials keyed by the bundle's merged list
    bundle_code: str | None = Field(
        None, min_length=1, max_length=64, description="一件事编码（与 item_code 二选一）"
    )
    materials: MaterialUploads = Field(default_factory=dict, description="材料编号 → 上传文件编号列表")
    tolerate_missing: bool = Field(False, description="容缺受理：容缺材料可后补")
    delivery: CaseDeliveryAddress | None = Field(None, description="办理结果邮寄地址（可选）")
    on_behalf_of: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="代办：委托人给我的授权编号（GET /me/principals）；办件属于委托人，材料由我上传",
    )
    # issue 17 (电子证照, 表单预填): checked and recorded by the licences domain's submission hooks
    licences: LicenceChoices = Field(
        default_factory=dict,
        description="以电子证照代替材料（即授权本办件使用该证照）：材料编号 → 证照编号（GET /me/licences）",
    )
    form: FormValues = Field(
        default_factory=dict,
        description="申请表：字段 → 申请人确认后的值（原样保存；可先调用 GET /items/{code}/prefill 预填）",
    )

    @field_validator("materials")
    @classmethod
    def _materials(cls, value: MaterialUploads) -> MaterialUploads:
        return _check_material_uploads(value)

    @model_validator(mode="after")
    def _one_of_item_or_bundle(self) -> CaseSubmit:
        if (self.item_code is None) == (self.bundle_code is None):
            raise ValueError("请填写 item_code（单个事项）或 bundle_code（一件事），二者选一")
        return self


class CaseSupplement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    materials: MaterialUploads = Field(description="补正/补交的材料：材料编号 → 上传文件编号列表")

    @field_validator("materials")
    @classmethod
    def _materials(cls, value: MaterialUploads) -> MaterialUploads:
        return _check_material_uploads(value)


# answers map from rows (``from_attributes``): a case, a timeline entry, an upload, a material
_ROW = ConfigDict(from_attributes=True)


class CaseCreated(BaseModel):
    model_config = _ROW

    id: int
    number: str
    status: StatusName
    kind: Literal["case"] = "case"


class CaseMissing(BaseModel):
    model_config = _ROW

    id: int
    name: str
    tolerable: bool = Field(description="是否容缺材料（可先受理、后补交）")


class CaseItemRef(BaseModel):
    code: str
    name: str


class CaseTimelineEntry(BaseModel):
    model_config = _ROW

    status: StatusName = Field(validation_alias="to_status")
    status_text: str
    at: datetime
    note: str
    kind: str = "status"


class CaseUploadRef(BaseModel):
    model_config = _ROW

    id: int
    filename: str
    content_type: str
    size: int


class CaseMaterialView(BaseModel):
    material_id: int
    name: str
    uploads: list[CaseUploadRef]


class CaseAddressView(BaseModel):
    """A postal address as stored (``address.py``): masked in details, complete only when revealed."""

    name: str | None = None
    phone: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    division_code: str | None = Field(None, description="GB/T 2260 区划代码")


class CaseDeliveryView(BaseModel):
    model_config = _ROW

    address: CaseAddressView | None = Field(None, description="邮寄地址（脱敏）")
    channel: str | None = Field(
        None,
        validation_alias="delivery_channel",
        description="window 窗口领取 | post 邮寄 | locker 自助柜取件 | point 送至便民服务点领取",
    )
    company: str | None = Field(None, validation_alias="delivery_company")
    waybill: str | None = Field(None, validation_alias="delivery_waybill")


class CaseBrief(BaseModel):
    model_config = _ROW

    id: int
    number: str
    item: CaseItemRef
    status: StatusName
    status_text: str
    submitted_at: datetime
    deadline: date | None
    warning: WarningLevel


_ACTIONS_DOC = (
    "市民当前可进行的操作：supplement 补正/补交材料，withdraw 撤回，rate 评价，"
    "set_delivery 填写或修改邮寄地址，complain 投诉"
)


# -- 代办 / 帮办 (cases/agency.py): who filed a case that the applicant did not file themselves
class CaseParty(BaseModel):
    """A person of a case, masked: the applicant, or who filed it for them."""

    kind: Literal["applicant", "agent", "staff", "village_agent"] = Field(
        description="applicant 申请人；agent 受托代办人；staff 帮办的窗口工作人员；village_agent 村级代办员"
    )
    name: str | None = Field(None, description="姓名（脱敏）；工作人员为其显示名")
    id_number: str | None = Field(None, description="身份证号（脱敏）")
    phone: str | None = Field(None, description="手机号（脱敏）")


class CaseSummary(CaseBrief):
    actions: list[CitizenAction] = Field(description=_ACTIONS_DOC)
    filed_by: FiledBy = Field(
        "self",
        description="self 本人申请；agent 他人代办；staff_assisted 窗口帮办；village_agent 村级代办员代办",
    )
    actor: CaseParty | None = Field(None, description="代办人或帮办的工作人员（本人申请为 null）")
    kind: Literal["case"] = "case"
    bundle_id: int | None = Field(None, description="一件事联办：所属一件事申请的编号（单独办件为 null）")


class CaseDetail(CaseSummary):
    department_code: str
    accepted_on: date | None
    calendar_uncertain: bool
    missing: list[CaseMissing]
    missing_due: date | None = Field(description="待补材料（补正、容缺）的截止日期")
    missing_due_uncertain: bool = Field(
        description="截止日期跨越尚未公布节假日安排的年度，按双休日推算，待日历公布后核对"
    )
    missing_overdue: bool = Field(description="已过补正截止日期而材料仍未补齐")
    timeline: list[CaseTimelineEntry]
    materials: list[CaseMaterialView]
    delivery: CaseDeliveryView | None
    rating: RatingView | None = Field(None, description="群众对本办件的评价（含差评整改情况），未评价为 null")
    decided_at: datetime | None
    finished_at: datetime | None
    applicant: CaseParty | None = Field(None, description="申请人（脱敏）")


class CaseListQuery(PageQuery):
    status: StatusName | None = None


class RequestSupplement(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    missing: list[int] = Field(min_length=1, max_length=100, description="需补正的材料编号")
    note: str = Field("", max_length=500, description="补正说明（一次性告知）")

    @field_validator("missing")
    @classmethod
    def _ids(cls, value: list[int]) -> list[int]:
        if any(not 1 <= v <= 2_147_483_647 for v in value):
            raise ValueError("材料编号无效")
        return value


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str = Field("", max_length=500)


class Deliver(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Literal["window", "post", "locker", "point"]
    company: str | None = Field(None, min_length=1, max_length=32, description="快递公司，如 ems")
    point: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="村（社区）便民服务点编码（channel 为 point 时可选，默认为代办该件的服务点）",
    )
    locker: str | None = Field(
        None, min_length=1, max_length=32, description="自助取件柜编码（channel 为 locker 时必填）"
    )
    waybill: str | None = Field(None, min_length=4, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    note: str = Field("", max_length=500)


class CaseTransitioned(BaseModel):
    model_config = _ROW

    id: int
    number: str
    status: StatusName
    status_text: str
    deadline: date | None
    warning: WarningLevel


class ReusableQuery(BaseModel):
    item_code: str = Field(min_length=1, max_length=64)


class CaseReusableUpload(BaseModel):
    model_config = _ROW

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    case_number: str = Field(description="此前使用该文件且已受理的办件")


class CaseReusableMaterial(BaseModel):
    material_id: int
    name: str
    kind: str
    uploads: list[CaseReusableUpload] = Field(description="可直接复用的已受理材料（新的在前）")


class CaseReusable(BaseModel):
    item_code: str
    materials: list[CaseReusableMaterial]


class ProgressQuery(BaseModel):
    number: str = Field(min_length=1, max_length=32, description="办件编号")
    phone_tail: str = Field(min_length=1, max_length=8, description="申请人手机号后四位")


class ProgressEntry(BaseModel):
    status: StatusName
    status_text: str
    at: datetime
    note: str


class ProgressView(BaseModel):
    number: str
    item_name: str
    status: StatusName
    status_text: str
    submitted_at: datetime
    deadline: date | None
    warning: WarningLevel
    timeline: list[ProgressEntry]
