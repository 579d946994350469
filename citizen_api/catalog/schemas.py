"""What the catalog accepts (admin writes, imports) and answers (guides, summaries), and the types
its service hands to other domains (``CatalogItem`` …) and to the search index (``IndexedItem`` …)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AliasPath, BaseModel, ConfigDict, Field, StringConstraints

from citizen_api.catalog.schemas_index import IndexedItem as IndexedItem
from citizen_api.catalog.schemas_index import SearchTerms as SearchTerms
from citizen_api.catalog.schemas_licences import (
    CatalogFormField as CatalogFormField,
)
from citizen_api.catalog.schemas_licences import (
    CatalogLicenceType as CatalogLicenceType,
)
from citizen_api.catalog.schemas_licences import (
    CatalogVersionForms as CatalogVersionForms,
)
from citizen_api.catalog.schemas_steps import DELIVERY_STEP_CODE as DELIVERY_STEP_CODE
from citizen_api.catalog.schemas_steps import CatalogStep as CatalogStep
from citizen_api.catalog.schemas_steps import SupervisedStepIn, SupervisedSteps
from citizen_api.catalog.transitions import VERSION_STATUSES
from citizen_api.catalog.vocabulary import FORM_FIELDS_DOC, LICENCE_DOC, FormFieldName, LicenceTypeCode
from citizen_api.http.schemas import PageQuery

ItemType = Literal[
    "行政许可",
    "行政确认",
    "行政给付",
    "行政裁决",
    "行政奖励",
    "行政征收",
    "行政备案",
    "其他行政权力",
    "公共服务",
]
Audience = Literal["personal", "business", "both"]
Necessity = Literal["required", "tolerated", "optional"]
MaterialForm = Literal["原件", "复印件", "电子"]
TimeUnit = Literal["working_day", "natural_day"]
ProcessingType = Literal["instant", "promised"]
VersionStatus = Literal[VERSION_STATUSES]  # type: ignore[valid-type]

ITEM_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$"
DEPARTMENT_CODE_PATTERN = r"^[A-Z][A-Z0-9_]{0,31}$"
KIND_PATTERN = r"^[a-z0-9_]{0,64}$"
UPLOAD_ID = Field(None, ge=1, le=999_999_999)
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Clause = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---- departments -----------------------------------------------------------------------------


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str


class DepartmentDetail(DepartmentOut):
    sort: int = 0
    phone: str = ""
    address: str = ""


class DepartmentUpdate(_In):
    name: str = Field(min_length=2, max_length=64, description="部门名称")
    sort: int = Field(0, ge=0, le=10_000)
    phone: str = Field("", max_length=32, description="咨询电话")
    address: str = Field("", max_length=200, description="办事地点")


class DepartmentCreate(DepartmentUpdate):
    code: str = Field(
        min_length=1, max_length=32, pattern=DEPARTMENT_CODE_PATTERN, description="部门代码（如 GA），大写"
    )


# ---- item content (one version) --------------------------------------------------------------


class FeeIn(_In):
    name: str = Field(min_length=1, max_length=100, description="收费项目")
    standard: str = Field(min_length=1, max_length=200, description="收费标准")
    basis: str = Field("", max_length=500, description="收费依据")


class StepIn(_In):
    name: str = Field(min_length=1, max_length=50, description="环节名称，如 受理、审查、决定、送达")
    description: str = Field("", max_length=1000)
    time_limit: str = Field("", max_length=50, description="环节时限，如 1个工作日")


class FaqIn(_In):
    question: str = Field(min_length=1, max_length=200)
    answer: str = Field(min_length=1, max_length=2000)


class ResultIn(_In):
    name: str = Field("", max_length=100, description="审批结果名称，如 营业执照")
    type: str = Field("", max_length=32, description="审批结果类型：证照、批文、其他")


class MaterialIn(_In):
    name: str = Field(min_length=1, max_length=200, description="材料名称")
    necessity: Necessity = Field("required", description="required 必要 / tolerated 容缺 / optional 非必要")
    kind: str = Field("", max_length=64, pattern=KIND_PATTERN, description="可复用材料类别，如 id_card")
    forms: list[MaterialForm] = Field(
        default_factory=lambda: ["原件"], min_length=1, max_length=3, description="原件、复印件、电子"
    )
    copies: int = Field(1, ge=0, le=20, description="份数")
    source: str = Field("申请人自备", max_length=200, description="来源渠道")
    blank_form_upload_id: int | None = UPLOAD_ID
    sample_upload_id: int | None = UPLOAD_ID
    notes: str = Field("", max_length=2000, description="填报须知")
    accepts_licence: LicenceTypeCode = Field("", description="可用该类电子证照代替提交；" + LICENCE_DOC)


class ItemContent(_In):
    """Everything an editor writes for one version of an item (validated by the consistency rules)."""

    name: str = Field(min_length=2, max_length=200, description="事项名称")
    item_type: ItemType = Field(description="事项类型")
    audience: Audience = Field("personal", description="服务对象：personal 自然人 / business 法人 / both")
    statutory_days: int = Field(ge=0, le=3650, description="法定办结时限")
    promised_days: int = Field(ge=0, le=3650, description="承诺办结时限；0 为即办")
    time_unit: TimeUnit = Field("working_day", description="单位：working_day 工作日 / natural_day 自然日")
    processing_type: ProcessingType = Field(description="办件类型：instant 即办件 / promised 承诺件")
    visits: int = Field(ge=0, le=2, description="到办事现场次数 0、1、2")
    visits_reason: str = Field("", max_length=500, description="到现场次数大于 0 的理由")
    online: bool = Field(False, description="是否网办")
    online_depth: int = Field(0, ge=0, le=4, description="网上办理深度 0–4（4 = 全程网办）")
    deliverable: bool = Field(False, description="是否支持物流快递（免费邮寄）")
    bookable: bool = Field(False, description="是否支持预约")
    charges_fee: bool = Field(False, description="是否收费")
    fees: list[FeeIn] = Field(default_factory=list, max_length=20)
    fee_exemptions: str = Field("", max_length=1000, description="减免情形")
    basis: list[Clause] = Field(default_factory=list, max_length=20, description="设定依据")
    conditions: list[Clause] = Field(default_factory=list, max_length=30, description="受理条件")
    procedure: list[StepIn] = Field(default_factory=list, max_length=20, description="办理流程")
    steps: SupervisedSteps = Field(default_factory=list)  # 电子监察: each step's limit and post
    place: str = Field("", max_length=300, description="办理地点")
    hours: str = Field("", max_length=200, description="办理时间")
    contact: str = Field("", max_length=200, description="咨询方式")
    complaint: str = Field("", max_length=200, description="监督投诉方式")
    result: ResultIn = Field(default_factory=ResultIn)
    faqs: list[FaqIn] = Field(default_factory=list, max_length=30, description="常见问题")
    keywords: list[Keyword] = Field(
        default_factory=list, max_length=20, description="搜索别名、俗称（如 办身份证），每个不超过 32 字"
    )
    online_url: str = Field("", max_length=300, description="网办入口")
    effective_from: date | None = Field(
        None, ge=date(2000, 1, 1), le=date(2100, 1, 1), description="生效日期；空则发布当日生效"
    )
    materials: list[MaterialIn] = Field(default_factory=list, max_length=60, description="申请材料")
    issues_licence: LicenceTypeCode = Field("", description="办结（准予）后核发的电子证照；" + LICENCE_DOC)
    form_fields: list[FormFieldName] = Field(default_factory=list, max_length=30, description=FORM_FIELDS_DOC)
    home_visit: bool = Field(False, description="上门服务：行动不便的申请人可申请工作人员上门办理")


class ItemCreate(ItemContent):
    code: str = Field(min_length=2, max_length=64, pattern=ITEM_CODE_PATTERN, description="实施编码")
    basic_code: str = Field("", max_length=32, pattern=r"^[0-9A-Za-z]*$", description="基本编码（12 位）")
    department: str = Field(min_length=1, max_length=32, pattern=DEPARTMENT_CODE_PATTERN)


# ---- answers ---------------------------------------------------------------------------------


class ItemSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # the search index maps its records with it

    code: str
    name: str
    department: str = Field(description="部门代码")
    department_name: str
    audience: str
    item_type: str
    trips: int = Field(description="到办事现场次数（0 = 零跑腿）")
    online: bool
    deliverable: bool
    bookable: bool
    promised_days: int
    legal_days: int = Field(description="法定办结时限")
    instant: bool = Field(description="即办件")


class MaterialFile(BaseModel):
    """A blank form (空白表格) or sample (示例样表) of a material: a public file of the guide."""

    upload_id: int
    filename: str = Field(description="文件名（仅用于显示）")
    content_type: str = Field(description="按文件内容识别的类型")
    size: int = Field(description="字节数")
    url: str | None = Field(
        description="无需登录的下载地址（服务器根路径起，"
        "如 /api/v1/items/{code}/materials/{id}/blank-form）；仅当前发布版本的材料有，历史版本与草稿为 null"
    )


class MaterialOut(BaseModel):
    id: int
    name: str
    required: bool = Field(description="必须提交（容缺材料也为 true，可先受理后补交）")
    form: str = Field(description="材料形式，如 原件、复印件")
    copies: int
    note: str = Field(description="填报须知")
    necessity: Necessity
    tolerated: bool = Field(description="容缺：可先受理、后补交")
    kind: str
    forms: list[str]
    source: str
    blank_form_upload_id: int | None
    sample_upload_id: int | None
    position: int
    blank_form: MaterialFile | None = Field(None, description="空白表格（可下载）")
    sample: MaterialFile | None = Field(None, description="示例样表（可下载）")
    accepts_licence: str = Field("", description="可用该类电子证照代替提交（空 = 不可）")


class ItemDetail(ItemSummary):
    basic_code: str
    version: int
    status: VersionStatus = Field(
        description="本版本状态：published、retired（历史版本）或 draft（仅管理员可见）"
    )
    effective_from: date | None
    published_at: datetime | None
    statutory_days: int
    time_unit: str
    processing_type: str = Field(description="instant 即办件 / promised 承诺件")
    processing_type_label: str
    visits_reason: str
    online_depth: int
    online_depth_label: str
    charges_fee: bool
    fees: list[FeeIn]
    fee_exemptions: str
    basis: list[str]
    conditions: list[str]
    procedure: list[StepIn]
    steps: list[SupervisedStepIn] = Field(default_factory=list, description="电子监察环节：时限与承办岗位")
    place: str
    hours: str
    contact: str
    complaint: str
    result: ResultIn
    faqs: list[FaqIn]
    keywords: list[str]
    online_url: str
    department_phone: str
    department_address: str
    materials: list[MaterialOut]
    issues_licence: str = Field("", description="办结（准予）后核发的电子证照类型（空 = 无）")
    form_fields: list[str] = Field(default_factory=list, description="申请表字段（可调用预填接口）")
    home_visit: bool = Field(False, description="可申请上门服务")
    views: int
    applications: int


class VersionInfo(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    status: VersionStatus
    name: str
    effective_from: date | None
    published_at: datetime | None
    created_at: datetime


class AdminItem(BaseModel):
    # read from the item row with its department loaded
    model_config = ConfigDict(from_attributes=True)

    code: str
    basic_code: str
    name: str
    department: str = Field(validation_alias=AliasPath("department", "code"), description="部门代码")
    is_published: bool
    published_version_id: int | None
    draft_version_id: int | None
    views: int
    applications: int
    updated_at: datetime


class AdminItemDetail(BaseModel):
    item: AdminItem
    draft: ItemDetail | None
    published: ItemDetail | None
    versions: list[VersionInfo]


class SynonymIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    term: str = Field(min_length=1, max_length=32, description="市民的说法，如 驾照")
    canonical: str = Field(min_length=1, max_length=64, description="目录中的规范用语，如 机动车驾驶证")


class SynonymOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    term: str
    canonical: str


# ---- queries ---------------------------------------------------------------------------------


class AdminItemQuery(PageQuery):
    status: Literal["published", "unpublished", "draft"] | None = None
    department: str | None = Field(None, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$")
    q: str | None = Field(None, max_length=50, description="名称包含")


# ---- for other domains (``catalog.service`` hands out these, never its ORM rows) ----------


class CatalogItem(BaseModel):
    """An item as other domains see it: cases are filed under it, appointments book it."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    code: str
    name: str
    department_id: int
    department: DepartmentOut  # its code and name
    is_published: bool
    published_version_id: int | None  # the version an application is filed under
    audience: str
    item_type: str
    trips: int
    online: bool
    deliverable: bool
    bookable: bool
    promised_days: int
    statutory_days: int


class CatalogVersion(BaseModel):
    """One version of an item (what an application was filed under)."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    item_id: int
    version: int
    status: VersionStatus
    name: str
    deliverable: bool
    promised_days: int
    time_unit: str
    visits: int  # 到办事现场次数 (a case copies it for the zero-trip statistics)
    audience: str = "personal"  # personal | business | both (许可公示 publishes business decisions)


class CatalogMaterial(BaseModel):
    """A material of one version, as an application is checked against it."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    version_id: int
    position: int
    name: str
    necessity: str
    kind: str
    forms: list[str]
    copies: int
    source: str
    notes: str
    accepts_licence: str = ""  # the licence type that satisfies it ("" none)
