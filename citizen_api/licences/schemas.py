"""Request and answer shapes of the licences API (电子证照, 授权, 核验, 表单预填)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.errors import details_model

LicenceStatus = Literal["valid", "expired"]
ConsentStatus = Literal["granted", "revoked"]
PrefillSourceKind = Literal["profile", "licence", "case"]


class LicenceView(BaseModel):
    id: int
    licence_type: str = Field(description="证照类型代码，如 business_licence")
    type_name: str = Field(description="证照名称，如 营业执照")
    number: str = Field(description="证照编号")
    holder: str = Field(description="持证人（脱敏姓名）")
    subject_name: str | None = Field(None, description="证照上的主体名称（如 企业名称）")
    credit_code: str | None = Field(None, description="统一社会信用代码（营业执照）")
    issuer: str = Field(description="发证机关")
    issuer_code: str = Field(description="发证部门代码")
    valid_from: date
    valid_until: date | None = Field(description="有效期至（null = 长期有效）")
    status: LicenceStatus
    status_text: str = Field(description="有效 | 已过期")
    case_number: str = Field(description="核发该证照的办件编号")
    item_code: str
    result_upload_id: int | None = Field(None, description="办理结果文件（如有）")
    issued_at: datetime


class LicenceCode(BaseModel):
    code: str = Field(description="核验码（短时有效的签名令牌，小程序显示为二维码）")
    expires_at: datetime


class VerifyQuery(BaseModel):
    code: str = Field(min_length=1, max_length=2000, description="核验码")


class VerifyResult(BaseModel):
    """What anyone who scans the code learns, and nothing else."""

    valid: bool = Field(description="证照当前在有效期内")
    licence_type: str = Field(description="证照名称")
    number: str
    holder: str = Field(description="持证人（脱敏姓名）")
    issuer: str
    valid_from: date
    valid_until: date | None


class ConsentView(BaseModel):
    id: int
    licence_id: int
    licence_type: str = Field(description="证照名称")
    licence_number: str
    application_id: int
    case_number: str
    material_id: int
    material_name: str
    granted_at: datetime
    revoked_at: datetime | None
    status: ConsentStatus
    status_text: str = Field(description="已授权 | 授权已撤回")


class PrefillSource(BaseModel):
    kind: PrefillSourceKind = Field(description="profile 实名信息 | licence 电子证照 | case 以往办件")
    label: str = Field(description="来源说明，如 营业执照 YYZZ…、办件 SC…")


class PrefillField(BaseModel):
    field: str
    label: str
    value: str | None = Field(description="预填值（无可用数据为 null，由申请人填写）")
    source: PrefillSource | None


class PrefillView(BaseModel):
    item_code: str
    fields: list[PrefillField] = Field(
        description="该事项申请表的字段及预填值；申请人确认（可修改）后以 form 提交，服务器不代填"
    )


class FormValueView(BaseModel):
    field: str
    label: str
    value: str


class CaseFormView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    application_id: int
    item_code: str
    fields: list[FormValueView] = Field(description="申请人提交的申请表（原样）")


class LicenceProblem(BaseModel):
    material_id: int
    licence_id: int | None = None
    reason: Literal["not_accepted", "not_found", "wrong_type", "expired"] = Field(
        description="not_accepted 该材料不能以证照代替；not_found 不是您的证照；"
        "wrong_type 证照类型不符；expired 证照已过期"
    )


@details_model("LICENCE_NOT_USABLE")
class LicenceNotUsableDetails(BaseModel):
    problems: list[LicenceProblem]
