"""The staff directory (the staff's credentials are auth's: ``citizen_api.auth.routes_staff``)."""

from __future__ import annotations

from citizen_api.http import Ctx, Page, PageQuery, endpoint
from citizen_api.users import service
from citizen_api.users.schemas import StaffSummary


async def list_staff(ctx: Ctx) -> Page[StaffSummary]:
    """工作人员名录（按部门范围）"""
    total, items = await service.list_staff(ctx.user, ctx.query.offset, ctx.query.size)
    return Page[StaffSummary](total=total, items=items)


ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/users",
        list_staff,
        auth="staff",
        query=PageQuery,
        response=Page[StaffSummary],
        tags=["staff"],
    ),
]
