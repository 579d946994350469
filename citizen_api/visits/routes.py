"""上门服务 API: the citizen's request, the department's scheduling and outcome, the figures."""

from __future__ import annotations

from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.schemas import PageQuery
from citizen_api.security.principal import ADMIN, APPROVER, SUPERVISOR, WINDOW
from citizen_api.visits import service
from citizen_api.visits.schemas import (
    Record,
    Refusal,
    Schedule,
    StaffVisitsQuery,
    VisitOut,
    VisitRequest,
    VisitStats,
    VisitStatsQuery,
)

COUNTER = {WINDOW, APPROVER, ADMIN}
_CITIZEN = ["visits"]
_STAFF = ["staff-visits"]
_MOVE = [(404, "NOT_FOUND"), (409, "INVALID_TRANSITION")]


async def request_visit(ctx: Ctx) -> VisitOut:
    """申请上门服务（年满70周岁按身份证号核验；残疾、重病由工作人员确认）"""
    return await service.request_visit(ctx.user, ctx.body, ctx.settings)


async def my_visits(ctx: Ctx) -> Page[VisitOut]:
    """我的上门服务申请"""
    return await service.my_visits(ctx.user, ctx.query.offset, ctx.query.size, ctx.settings)


async def my_visit(ctx: Ctx) -> VisitOut:
    """上门服务申请详情（安排后含日期、时间窗与上门人员）"""
    return await service.my_visit(ctx.user, ctx.path["id"], ctx.settings)


async def cancel(ctx: Ctx) -> VisitOut:
    """取消上门服务申请"""
    return await service.cancel(ctx.user, ctx.path["id"], ctx.settings)


async def staff_visits(ctx: Ctx) -> Page[VisitOut]:
    """上门服务申请（本部门）"""
    q = ctx.query
    return await service.staff_visits(ctx.user, q.status, q.offset, q.size, ctx.settings)


async def confirm(ctx: Ctx) -> VisitOut:
    """确认残疾或重病申请人的上门服务资格"""
    return await service.confirm(ctx.user, ctx.path["id"], ctx.settings)


async def refuse(ctx: Ctx) -> VisitOut:
    """驳回上门服务申请（告知申请人原因）"""
    return await service.refuse(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def schedule(ctx: Ctx) -> VisitOut:
    """安排上门：日期、时间窗、上门人员（申请人收到消息）"""
    return await service.schedule(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def record(ctx: Ctx) -> VisitOut:
    """登记上门办理结果（现场受理、收取材料、未遇）"""
    return await service.record(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def stats(ctx: Ctx) -> VisitStats:
    """上门服务统计（期间提出的申请及其结果）"""
    return await service.stats(ctx.user, ctx.query.since, ctx.query.until)


_ID = "/staff/visits/{id:id}"
ENDPOINTS = [
    endpoint(
        "POST",
        "/visits",
        request_visit,
        auth="citizen",
        body=VisitRequest,
        response=VisitOut,
        status=201,
        tags=_CITIZEN,
        errors=[
            (404, "NOT_FOUND"),
            (409, "VISIT_NOT_OFFERED"),
            (409, "VISIT_NOT_ELIGIBLE"),
            (409, "VISIT_ALREADY_REQUESTED"),
            (409, "PROFILE_INCOMPLETE"),
        ],
    ),
    endpoint(
        "GET", "/visits", my_visits, auth="citizen", query=PageQuery, response=Page[VisitOut], tags=_CITIZEN
    ),
    endpoint(
        "GET",
        "/visits/{id:id}",
        my_visit,
        auth="citizen",
        response=VisitOut,
        tags=_CITIZEN,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/visits/{id:id}/cancel",
        cancel,
        auth="citizen",
        response=VisitOut,
        tags=_CITIZEN,
        errors=_MOVE,
    ),
    endpoint(
        "GET",
        "/staff/visits",
        staff_visits,
        auth=COUNTER | {SUPERVISOR},
        query=StaffVisitsQuery,
        response=Page[VisitOut],
        tags=_STAFF,
    ),
    endpoint(
        "GET",
        "/staff/visits/stats",
        stats,
        auth=COUNTER | {SUPERVISOR},
        query=VisitStatsQuery,
        response=VisitStats,
        tags=_STAFF,
    ),
    endpoint("POST", f"{_ID}/confirm", confirm, auth=COUNTER, response=VisitOut, tags=_STAFF, errors=_MOVE),
    endpoint(
        "POST",
        f"{_ID}/refuse",
        refuse,
        auth=COUNTER,
        body=Refusal,
        response=VisitOut,
        tags=_STAFF,
        errors=_MOVE,
    ),
    endpoint(
        "POST",
        f"{_ID}/schedule",
        schedule,
        auth=COUNTER,
        body=Schedule,
        response=VisitOut,
        tags=_STAFF,
        errors=_MOVE,
    ),
    endpoint(
        "POST",
        f"{_ID}/record",
        record,
        auth=COUNTER,
        body=Record,
        response=VisitOut,
        tags=_STAFF,
        errors=_MOVE,
    ),
]
