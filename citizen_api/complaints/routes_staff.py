"""投诉 staff API (prefix /staff): supervisors list and answer complaints."""

from __future__ import annotations

from citizen_api.complaints import service
from citizen_api.complaints.schemas import ComplaintQuery, ReplyIn, StaffComplaintView
from citizen_api.complaints.transitions import roles_for
from citizen_api.http import Ctx, Page, endpoint


async def staff_complaints(ctx: Ctx) -> Page[StaffComplaintView]:
    """投诉列表（按答复期限排序）"""
    q = ctx.query
    total, items = await service.for_staff(q.status, q.department, q.offset, q.size)
    return Page[StaffComplaintView](total=total, items=items)


async def reply(ctx: Ctx) -> StaffComplaintView:
    """答复投诉（答复内容推送给群众）"""
    return await service.reply(ctx.user, ctx.path["id"], ctx.body.reply)


_ANSWERING = set(roles_for("reply"))  # who answers complaints also reads them

ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/complaints",
        staff_complaints,
        auth=_ANSWERING,
        query=ComplaintQuery,
        response=Page[StaffComplaintView],
        tags=["staff-complaints"],
    ),
    endpoint(
        "POST",
        "/staff/complaints/{id:id}/reply",
        reply,
        auth=_ANSWERING,
        body=ReplyIn,
        response=StaffComplaintView,
        tags=["staff-complaints"],
        errors=[(404, "NOT_FOUND"), (409, "ALREADY_REPLIED")],
    ),
]
