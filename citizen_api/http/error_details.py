"""The shape of ``error.details`` for every error code that carries details.

The OpenAPI builder documents each code's envelope with its model (``Error_<CODE>``), so the
mini-program and the workbench get typed details (``fields`` of a 422, ``missing`` materials,
``retry_after`` …). A domain adding a code with details declares its model with
``@details_model("CODE")`` (citizen_api.errors) beside the code, or here.

Fields that only some raise sites fill are optional; every model stays open (more keys may follow).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.errors import details_model


class _Details(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


@details_model("VALIDATION_ERROR")
class ValidationErrorDetails(_Details):
    fields: dict[str, str] = Field(
        description="每个出错的字段一项：字段位置（如 body.phone、query.page）→ 中文说明"
    )


@details_model("RATE_LIMITED")
class RateLimitedDetails(_Details):
    retry_after: int = Field(ge=1, description="多少秒后可以再试（同 Retry-After 响应头）")


@details_model("SLOT_FULL")
class SlotFullDetails(_Details):
    waitlist: bool = Field(description="可加入候补：POST /appointments/waitlist")


class ErrMissingMaterial(_Details):
    id: int
    name: str
    tolerable: bool = Field(description="容缺材料：可先受理、后补交")


@details_model("MATERIALS_MISSING")
class MaterialsMissingDetails(_Details):
    missing: list[ErrMissingMaterial] = Field(description="一次列出所有缺少的必交材料")
    can_tolerate: bool = Field(description="缺的都是容缺材料：带 tolerate_missing=true 重新提交即可受理")


class ErrOwedMaterial(_Details):
    id: int
    name: str


@details_model("MATERIALS_OUTSTANDING")
class MaterialsOutstandingDetails(_Details):
    missing: list[ErrOwedMaterial] = Field(description="尚未补齐的容缺材料")
    missing_due: dt.date | None = Field(description="容缺材料补交期限")


@details_model("MATERIALS_TOO_LARGE")
class MaterialsTooLargeDetails(_Details):
    max_bytes: int
    total_bytes: int


@details_model("BODY_TOO_LARGE", "UPLOAD_TOO_LARGE")
class TooLargeDetails(_Details):
    max_bytes: int = Field(description="允许的最大字节数")


@details_model("UPLOAD_QUOTA_EXCEEDED")
class UploadQuotaDetails(_Details):
    quota_bytes: int = Field(description="尚未用于办件的上传文件合计上限（字节）")
    used_bytes: int = Field(description="已占用（字节）")


@details_model("UPLOAD_TYPE_REJECTED")
class UploadTypeRejectedDetails(_Details):
    detected: str | None = Field(description="按内容识别出的类型")
    claimed: str | None = Field(description="文件名声称的类型（扩展名）")
    allowed: list[str] = Field(description="允许的扩展名")


@details_model("PROFILE_INCOMPLETE")
class ProfileIncompleteDetails(_Details):
    missing: list[str] = Field(default_factory=list, description="尚未填写的实名信息：name、id_number、phone")


@details_model("INVALID_TRANSITION")
class InvalidTransitionDetails(_Details):
    from_: str | None = Field(None, alias="from", description="当前状态")
    to: str | None = Field(None, description="所请求操作的目标状态")
    action: str | None = None
    allowed: list[str] | None = Field(None, description="当前状态下可进行的操作")


@details_model("FORBIDDEN")
class ForbiddenDetails(_Details):
    action: str | None = Field(None, description="被拒绝的办件操作")
    role: str | None = Field(None, description="调用者的角色")
    reason: str | None = Field(None, description="回调验签失败的原因")


@details_model("NOT_FOUND")
class NotFoundDetails(_Details):
    upload_ids: list[int] | None = Field(None, description="不存在（或不属于本人）的上传文件")


@details_model("NOT_CHECKABLE", "NOT_BOOKED", "NOT_CANCELLABLE", "NOT_WAITING", "NOT_FINISHED")
class CurrentStatusDetails(_Details):
    status: str = Field(description="对象当前的状态")


@details_model("NOT_TODAY")
class NotTodayDetails(_Details):
    date: dt.date = Field(description="预约日期")


@details_model("CANCEL_TOO_LATE")
class CancelTooLateDetails(_Details):
    deadline: str = Field(description="最晚可取消时间（ISO 8601，+08:00）")


@details_model("OUTSIDE_BOOKING_WINDOW")
class OutsideBookingWindowDetails(_Details):
    earliest: str = Field(description="最早可预约的时段开始时间（ISO 8601，+08:00）")
    last_day: dt.date = Field(description="最晚可预约的日期")


@details_model("BOOKING_SUSPENDED")
class BookingSuspendedDetails(_Details):
    until: dt.date = Field(description="暂停预约至该日")


@details_model("BOOKING_LIMIT_REACHED")
class BookingLimitDetails(_Details):
    weekly_limit: int = Field(description="每周最多预约次数")


@details_model("DEPARTMENT_EXISTS", "ITEM_EXISTS")
class ExistingCodeDetails(_Details):
    code: str = Field(description="已存在的编码")


@details_model("UNKNOWN_DEPARTMENT")
class UnknownDepartmentDetails(_Details):
    department: str


@details_model("UNKNOWN_OFFICE")
class UnknownOfficeDetails(_Details):
    office_code: str


@details_model("UNKNOWN_ITEMS")
class UnknownItemsDetails(_Details):
    missing: list[str] = Field(description="不存在的事项编码")


@details_model("UNKNOWN_UPLOAD")
class UnknownUploadDetails(_Details):
    missing: list[int] = Field(description="不存在的上传文件 id")


@details_model("COMPLAINT_OPEN")
class ComplaintOpenDetails(_Details):
    complaint_id: int | None = Field(description="正在处理中的投诉")


@details_model("WAYBILL_INVALID")
class WaybillInvalidDetails(_Details):
    company: str


@details_model("BAD_XML")
class BadXmlDetails(_Details):
    reason: str


@details_model("INTERNAL_ERROR")
class InternalErrorDetails(_Details):
    request_id: str = Field(description="请求编号，报障时提供")
