"""延时服务 (prefix /staff/late-service): the queue past closing, a window serving late, the day's report."""

from __future__ import annotations

from citizen_api.appointments import late_report, late_service
from citizen_api.appointments.lifecycle import broker_of
from citizen_api.appointments.schemas_late import (
    LateReportOut,
    LateReportQuery,
    LateServiceOut,
    LateServiceQuery,
    LateWindowBody,
)
from citizen_api.appointments.transitions import COUNTER
from citizen_api.http import Ctx, endpoint
from citizen_api.security.principal import SUPERVISOR

TAGS = ["staff-appointments"]


def late_changed(ctx: Ctx) -> late_service.Changed:
    """Tell the hall's TVs which windows serve late, once the request's writes have committed."""
    broker = broker_of(ctx.state)

    async def changed(office_code: str) -> None:
        windows = await late_service.office_late_windows(office_code)
        ctx.after_commit(lambda: broker.publish(office_code, {"late_windows": windows}))

    return changed


async def get_late_service(ctx: Ctx) -> LateServiceOut:
    """延时服务状态：今天的下班时间、是否已过、仍在等候的号数、正在延时服务的窗口（默认本人的窗口组）"""
    return await late_service.status_of(ctx.user, ctx.query.group, ctx.settings)


async def start_late_service(ctx: Ctx) -> LateServiceOut:
    """开启延时服务：本窗口下班后继续为已取号的群众办理（大厅叫号屏显示；下班后叫号也会自动开启）"""
    return await late_service.start(ctx.user, ctx.body.window_id, ctx.settings, late_changed(ctx))


async def end_late_service(ctx: Ctx) -> LateServiceOut:
    """结束延时服务：下班后本组仍有等候的号且无其他窗口接续时不能结束（409 LATE_QUEUE_WAITING）"""
    return await late_service.end(ctx.user, ctx.body.window_id, ctx.settings, late_changed(ctx))


async def get_late_report(ctx: Ctx) -> LateReportOut:
    """延时服务日报：各窗口组下班时仍在等候、下班后办理的号数，最后叫号晚于下班的分钟数，延时服务的窗口"""
    return await late_report.report(ctx.user, ctx.query.date, ctx.settings)


_ERRORS = [(404, "NOT_FOUND"), (409, "NO_WINDOW")]

ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/late-service",
        get_late_service,
        auth="staff",
        query=LateServiceQuery,
        response=LateServiceOut,
        tags=TAGS,
        errors=_ERRORS,
    ),
    endpoint(
        "POST",
        "/staff/late-service/start",
        start_late_service,
        auth=COUNTER | {SUPERVISOR},
        body=LateWindowBody,
        response=LateServiceOut,
        tags=TAGS,
        errors=_ERRORS,
    ),
    endpoint(
        "POST",
        "/staff/late-service/end",
        end_late_service,
        auth=COUNTER | {SUPERVISOR},
        body=LateWindowBody,
        response=LateServiceOut,
        tags=TAGS,
        errors=[*_ERRORS, (409, "LATE_QUEUE_WAITING")],
    ),
    endpoint(
        "GET",
        "/staff/late-service/report",
        get_late_report,
        auth="staff",
        query=LateReportQuery,
        response=LateReportOut,
        tags=TAGS,
    ),
]
