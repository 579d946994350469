"""Lockers API: the staff's locker list and deposits, the citizen's pickup view, the locker's call."""

from __future__ import annotations

import json

from pydantic import ValidationError

from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.endpoint import read_capped
from citizen_api.http.validation import validation_error
from citizen_api.lockers import client, service
from citizen_api.lockers.schemas import (
    DepositOut,
    LockerOut,
    LockersQuery,
    PickupAnswer,
    PickupCall,
    StaffDepositsQuery,
)

MAX_CALL_BYTES = 4096


async def list_lockers(ctx: Ctx) -> list[LockerOut]:
    """可用的自助取件柜（送达时选择）"""
    return await service.lockers(ctx.query.office_code)


async def staff_deposits(ctx: Ctx) -> Page[DepositOut]:
    """自助柜存件（本部门；可按状态筛选逾期未取）"""
    q = ctx.query
    total, items = await service.staff_deposits(ctx.user, q.status, q.offset, q.size, ctx.settings)
    return Page[DepositOut](total=total, items=items)


async def retrieve(ctx: Ctx) -> DepositOut:
    """取回自助柜中的办理结果（逾期未取或提前取回），改为窗口领取"""
    return await service.retrieve(ctx.state, ctx.user, ctx.path["id"])


async def my_deposit(ctx: Ctx) -> DepositOut:
    """我的办件在自助柜中的存件（待取件时含取件码）"""
    return await service.citizen_deposit(ctx.user, ctx.path["id"], ctx.settings)


async def locker_pickup(ctx: Ctx) -> PickupAnswer:
    """自助柜取件：柜机校验取件码（签名校验；正确则开柜并送达办件）"""
    raw = await read_capped(ctx.request, MAX_CALL_BYTES)
    if not client.verify(
        raw, ctx.request.headers.get(client.SIGNATURE_HEADER, ""), ctx.settings.locker_secret
    ):
        raise ApiError(403, "SIGNATURE_INVALID", "签名校验失败")
    try:
        call = PickupCall.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError):
        raise validation_error({"body": "取件请求格式不正确"}) from None
    async with ctx.atomic():
        outcome = await service.pick_up(ctx.state, call.locker, call.code)
    if isinstance(outcome, ApiError):
        raise outcome  # after the commit: the expiry it recorded stays
    return outcome


_CALL_DOC = {
    "required": True,
    "content": {"application/json": {"schema": PickupCall.model_json_schema()}},
}

ENDPOINTS = [
    endpoint(
        "GET", "/staff/lockers", list_lockers, auth="staff", query=LockersQuery,
        response=list[LockerOut], tags=["staff-delivery"],
    ),
    endpoint(
        "GET", "/staff/locker-deposits", staff_deposits, auth="staff", query=StaffDepositsQuery,
        response=Page[DepositOut], tags=["staff-delivery"],
    ),
    endpoint(
        "POST", "/staff/locker-deposits/{id:id}/retrieve", retrieve, auth="staff",
        response=DepositOut, tags=["staff-delivery"],
        errors=[(404, "NOT_FOUND"), (409, "INVALID_TRANSITION"), (503, "LOCKER_UNAVAILABLE")],
    ),
    endpoint(
        "GET", "/applications/{id:id}/locker", my_deposit, auth="citizen", response=DepositOut,
        tags=["delivery"], errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST", "/callbacks/locker", locker_pickup, atomic="manual", raw_request_doc=_CALL_DOC,
        response=PickupAnswer, tags=["callbacks"],
        errors=[
            (403, "SIGNATURE_INVALID"), (404, "LOCKER_NOT_FOUND"), (404, "PICKUP_CODE_INVALID"),
            (409, "PICKUP_CODE_USED"), (410, "PICKUP_CODE_EXPIRED"), (422, "VALIDATION_ERROR"),
            (429, "RATE_LIMITED"),
        ],
    ),
]  # fmt: skip
