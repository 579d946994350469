"""Hall staff: check-in (queue number), no-show, the queue of a window group."""

from __future__ import annotations

from citizen_api.appointments import hall
from citizen_api.appointments.schemas import CheckInOut, GroupBody, NoShowOut, QueueOut, QueueQuery, TicketOut
from citizen_api.appointments.transitions import APPOINTMENTS, COUNTER, TICKETS
from citizen_api.http import Ctx, endpoint

TAGS = ["staff-appointments"]


async def check_in(ctx: Ctx) -> CheckInOut:
    """预约签到：当天到厅，换取优先叫号的排队号"""
    return await hall.check_in(ctx.user, ctx.path["id"])


async def no_show(ctx: Ctx) -> NoShowOut:
    """标记爽约（多次爽约暂停预约）"""
    return await hall.no_show(ctx.user, ctx.path["id"], ctx.settings)


async def queue(ctx: Ctx) -> QueueOut:
    """窗口组的等候队列：预约签到在前，现场取号在后"""
    return await hall.queue(ctx.user, ctx.query.group)


async def walk_in(ctx: Ctx) -> TicketOut:
    """现场取号"""
    return await hall.walk_in(ctx.user, ctx.body.group)


async def call_next(ctx: Ctx) -> TicketOut:
    """叫下一个号"""
    return await hall.call_next(ctx.user, ctx.body.group, ctx.body.window)


ENDPOINTS = [
    endpoint(
        "POST",
        "/staff/appointments/{id:id}/check-in",
        check_in,
        auth=APPOINTMENTS.roles_for("check_in"),
        response=CheckInOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_CHECKABLE"), (409, "NOT_TODAY")],
    ),
    endpoint(
        "POST",
        "/staff/appointments/{id:id}/no-show",
        no_show,
        auth=APPOINTMENTS.roles_for("no_show"),
        response=NoShowOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_BOOKED"), (409, "TOO_EARLY")],
    ),
    endpoint(
        "GET",
        "/staff/queue",
        queue,
        auth="staff",
        query=QueueQuery,
        response=QueueOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/staff/queue/walk-in",
        walk_in,
        auth=COUNTER,  # a new ticket is issued at the counters (transitions.COUNTER)
        body=GroupBody,
        response=TicketOut,
        status=201,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/staff/queue/call-next",
        call_next,
        auth=TICKETS.roles_for("call"),
        body=GroupBody,
        response=TicketOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "QUEUE_EMPTY")],
    ),
]
