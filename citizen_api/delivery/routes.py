"""Delivery API: the citizen's address and mail-in, the staff shipment list, kuaidi100's push."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.responses import JSONResponse
from tortoise.exceptions import IntegrityError

from citizen_api.cases.schemas import DeliveryAddress
from citizen_api.delivery import repository as repo
from citizen_api.delivery import service, shipments, tracking
from citizen_api.delivery.kuaidi100 import verify_push
from citizen_api.delivery.schemas import (
    CallbackAnswer,
    DeliveryView,
    MailIn,
    ShipmentView,
    StaffShipmentQuery,
    StaffShipmentSummary,
)
from citizen_api.delivery.views import staff_summaries
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.endpoint import read_capped
from citizen_api.security.principal import scope_to_department

OK_ANSWER = {"result": True, "returnCode": "200", "message": "成功"}
MAX_PUSH_BYTES = 512 * 1024  # a push carries the whole trace; kuaidi100 keeps it far below this


async def put_delivery(ctx: Ctx) -> DeliveryView:
    """登记免费邮寄地址（办理结果寄递到家）"""
    return await service.put_address(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def get_delivery(ctx: Ctx) -> DeliveryView:
    """我的办件寄递信息（地址与物流轨迹）"""
    return await service.delivery_view(ctx.user, ctx.path["id"], ctx.settings)


async def post_mail_in(ctx: Ctx) -> ShipmentView:
    """邮寄申请材料：登记寄往中心的运单号（双向寄递）"""
    return await service.mail_in(ctx.state, ctx.user, ctx.path["id"], ctx.body)


async def staff_shipments(ctx: Ctx) -> Page[StaffShipmentSummary]:
    """寄递列表（本部门；收件信息脱敏）"""
    scope = lambda q: scope_to_department(q, ctx.user)  # noqa: E731
    total, rows = await repo.staff_page(
        scope, ctx.query.status, ctx.query.direction, ctx.query.offset, ctx.query.size
    )
    return Page[StaffShipmentSummary](total=total, items=await staff_summaries(rows, ctx.settings))


async def kuaidi100_push(ctx: Ctx) -> JSONResponse:
    """快递100 物流轨迹推送（签名校验，重复推送幂等）"""
    raw = await read_capped(ctx.request, MAX_PUSH_BYTES)
    try:
        form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=20)
    except ValueError:  # too many fields: not kuaidi100
        form = {}
    param = (form.get("param") or [""])[0]
    sign = (form.get("sign") or [""])[0]
    if not param or not sign or not verify_push(param, sign, ctx.settings.kuaidi100_salt):
        raise ApiError(403, "SIGNATURE_INVALID", "签名校验失败")
    _status, report = tracking.parse_push(param)
    try:
        async with ctx.atomic():
            outcome, shipment_id = await tracking.apply_report(report)
    except IntegrityError:  # the same push racing itself: the other copy recorded it
        outcome, shipment_id = "duplicate", None
    if outcome == "resubscribe" and shipment_id is not None:
        await shipments.subscribe(ctx.state, shipment_id)
    return JSONResponse(OK_ANSWER)


_PUSH_DOC = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["param", "sign"],
                "properties": {
                    "param": {
                        "type": "string",
                        "description": "推送内容 JSON（status、message、lastResult）",
                    },
                    "sign": {"type": "string", "description": "MD5(param + salt) 大写十六进制"},
                },
            }
        }
    },
}

_CITIZEN_ERRORS = [(404, "NOT_FOUND"), (409, "DELIVERY_NOT_OFFERED"), (409, "CASE_CLOSED")]
_TAGS = ["delivery"]

ENDPOINTS = [
    endpoint(
        "PUT",
        "/applications/{id:id}/delivery",
        put_delivery,
        auth="citizen",
        body=DeliveryAddress,
        response=DeliveryView,
        tags=_TAGS,
        errors=[*_CITIZEN_ERRORS, (409, "ALREADY_SHIPPED")],
    ),
    endpoint(
        "GET",
        "/applications/{id:id}/delivery",
        get_delivery,
        auth="citizen",
        response=DeliveryView,
        tags=_TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/applications/{id:id}/mail-in",
        post_mail_in,
        auth="citizen",
        body=MailIn,
        response=ShipmentView,
        status=201,
        tags=_TAGS,
        errors=[*_CITIZEN_ERRORS, (422, "WAYBILL_INVALID"), (409, "WAYBILL_IN_USE")],
    ),
    endpoint(
        "GET",
        "/staff/shipments",
        staff_shipments,
        auth="staff",
        query=StaffShipmentQuery,
        response=Page[StaffShipmentSummary],
        tags=["staff-delivery"],
    ),
    endpoint(
        "POST",
        "/callbacks/kuaidi100",
        kuaidi100_push,
        atomic="manual",
        raw_request_doc=_PUSH_DOC,
        response=CallbackAnswer,
        tags=["callbacks"],
        errors=[(403, "SIGNATURE_INVALID"), (422, "VALIDATION_ERROR")],
    ),
]
