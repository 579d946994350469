"""投诉 API: the citizen files and reads (supervisors answer: routes_staff)."""

from __future__ import annotations

from citizen_api.complaints import service
from citizen_api.complaints.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.complaints.schemas import ComplaintIn, ComplaintView
from citizen_api.http import Ctx, Page, PageQuery, endpoint
from citizen_api.ratelimit import limiter


async def file_complaint(ctx: Ctx) -> ComplaintView:
    """投诉（办件或大厅服务；可注明首问负责人；同一办件的投诉答复前不能重复提交；按人限频）"""
    # every filing tells every supervisor: a citizen may file only so many per window (429 Retry-After)
    await limiter.hit(
        ctx.state,
        f"complaint:user:{ctx.user.user_id}",
        limit=ctx.settings.complaint_rate_limit,
        window_seconds=ctx.settings.complaint_rate_window_seconds,
    )
    return await service.file(ctx.user, ctx.body, ctx.settings)


async def my_complaints(ctx: Ctx) -> Page[ComplaintView]:
    """我的投诉与答复"""
    total, items = await service.mine(ctx.user, ctx.query.offset, ctx.query.size)
    return Page[ComplaintView](total=total, items=items)


ENDPOINTS = [
    endpoint(
        "POST",
        "/complaints",
        file_complaint,
        auth="citizen",
        body=ComplaintIn,
        response=ComplaintView,
        status=201,
        tags=["complaints"],
        errors=[(404, "NOT_FOUND"), (409, "COMPLAINT_OPEN"), (429, "RATE_LIMITED")],
    ),
    endpoint(
        "GET",
        "/complaints",
        my_complaints,
        auth="citizen",
        query=PageQuery,
        response=Page[ComplaintView],
        tags=["complaints"],
    ),
    *STAFF_ENDPOINTS,
]
