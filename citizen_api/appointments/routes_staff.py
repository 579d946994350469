"""Hall staff: the day's bookings, check-in (by booking or scanned code), no-show, the desk, the
queue of a window group and what a window does with its tickets."""

from __future__ import annotations

from citizen_api.appointments import desks, hall, hot, lookup, queue, staff_booking
from citizen_api.appointments.hall_feed import call_event
from citizen_api.appointments.lifecycle import broker_of
from citizen_api.appointments.models import QueueTicket
from citizen_api.appointments.routes_late import late_changed
from citizen_api.appointments.schemas import (
    AppointmentOut,
    CallBody,
    CheckInOut,
    GroupBody,
    NoShowOut,
    QueueOut,
    QueueQuery,
    StaffBookBody,
    TicketOut,
)
from citizen_api.appointments.schemas_hall import CheckInCodeBody, DeskOut, HallBooking, HallBookingsQuery
from citizen_api.appointments.transitions import APPOINTMENTS, COUNTER, TICKETS
from citizen_api.http import Ctx, Page, endpoint

TAGS = ["staff-appointments"]


def _announcer(ctx: Ctx):
    """Tell the hall's TVs about a call once the request's writes have committed."""
    broker = broker_of(ctx.state)

    def announce(office_code: str, ticket: QueueTicket) -> None:
        event = call_event(ticket)
        ctx.after_commit(lambda: broker.publish(office_code, event))

    return announce


async def list_bookings(ctx: Ctx) -> Page[HallBooking]:
    """当天的预约（本人窗口组，未分配窗口则本部门的窗口组）；可按手机号后四位、姓名或签到码查找"""
    return await lookup.bookings(ctx.user, ctx.query, ctx.settings)


async def book_for_citizen(ctx: Ctx) -> AppointmentOut:
    """代约：工作人员为电话或到厅的群众预约（按姓名、身份证号、手机号实名；可用保留名额）"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await staff_booking.book_for_citizen(ctx.user, ctx.body, ctx.state, ctx.atomic)


async def check_in_by_code(ctx: Ctx) -> CheckInOut:
    """扫码签到：扫码枪输入签到码，换取排队号（重复扫码得到同一个号）"""
    return await lookup.check_in_by_code(ctx.user, ctx.body.code)


async def my_desk(ctx: Ctx) -> DeskOut:
    """本人的窗口与窗口组（及工作台自动退出的分钟数）"""
    return await desks.my_desk(ctx.user, ctx.settings)


async def check_in(ctx: Ctx) -> CheckInOut:
    """预约签到：当天到厅，换取优先叫号的排队号"""
    return await hall.check_in(ctx.user, ctx.path["id"])


async def no_show(ctx: Ctx) -> NoShowOut:
    """标记爽约（多次爽约暂停预约）"""
    return await hall.no_show(ctx.user, ctx.path["id"], ctx.settings)


async def get_queue(ctx: Ctx) -> QueueOut:
    """窗口组的队列：等候中（预约签到在前，现场取号在后）、已叫号、办理中；默认本人的窗口组"""
    return await queue.queue(ctx.user, ctx.query.group)


async def walk_in(ctx: Ctx) -> TicketOut:
    """现场取号（默认本人的窗口组）"""
    return await queue.walk_in(ctx.user, ctx.body.group, ctx.settings)


async def call_next(ctx: Ctx) -> TicketOut:
    """叫下一个号：记下叫号的窗口号（默认本人的窗口），大厅叫号屏随即显示"""
    return await queue.call_next(
        ctx.user, ctx.body.group, ctx.body.window, _announcer(ctx), ctx.settings, late_changed(ctx)
    )


async def recall(ctx: Ctx) -> TicketOut:
    """重新呼叫（同一窗口；大厅叫号屏再次显示）"""
    return await queue.act(ctx.user, ctx.path["id"], "recall", _announcer(ctx))


async def serve(ctx: Ctx) -> TicketOut:
    """开始办理（叫到的市民已到窗口）"""
    return await queue.act(ctx.user, ctx.path["id"], "serve", _announcer(ctx))


async def skip(ctx: Ctx) -> TicketOut:
    """过号"""
    return await queue.act(ctx.user, ctx.path["id"], "skip", _announcer(ctx))


async def finish(ctx: Ctx) -> TicketOut:
    """办结"""
    return await queue.act(ctx.user, ctx.path["id"], "finish", _announcer(ctx))


_TICKET_ACTIONS = {"recall": recall, "serve": serve, "skip": skip, "finish": finish}


ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/appointments",
        list_bookings,
        auth="staff",
        query=HallBookingsQuery,
        response=Page[HallBooking],
        tags=TAGS,
    ),
    # atomic="manual": the read-only checks first, then one unit of work (retried on a deadlock)
    endpoint(
        "POST",
        "/staff/appointments",
        book_for_citizen,
        auth="staff",
        body=StaffBookBody,
        response=AppointmentOut,
        status=201,
        atomic="manual",
        tags=TAGS,
        errors=[
            (404, "NOT_FOUND"),
            (409, "NOT_BOOKABLE"),
            (409, "OUTSIDE_BOOKING_WINDOW"),
            (409, "DAY_CLOSED"),
            (409, "NOT_YET_OPEN"),
            (409, "SLOT_FULL"),
            (409, "ALREADY_BOOKED"),
            (409, "BOOKING_LIMIT_REACHED"),
            (403, "BOOKING_SUSPENDED"),
        ],
    ),
    endpoint(
        "POST",
        "/staff/appointments/check-in",
        check_in_by_code,
        auth=APPOINTMENTS.roles_for("check_in"),
        body=CheckInCodeBody,
        response=CheckInOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_CHECKABLE"), (409, "NOT_TODAY"), (409, "HALL_CLOSED")],
    ),
    endpoint("GET", "/staff/me/desk", my_desk, auth="staff", response=DeskOut, tags=TAGS),
    endpoint(
        "POST",
        "/staff/appointments/{id:id}/check-in",
        check_in,
        auth=APPOINTMENTS.roles_for("check_in"),
        response=CheckInOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_CHECKABLE"), (409, "NOT_TODAY"), (409, "HALL_CLOSED")],
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
        get_queue,
        auth="staff",
        query=QueueQuery,
        response=QueueOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NO_WINDOW")],
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
        errors=[(404, "NOT_FOUND"), (409, "NO_WINDOW"), (409, "HALL_CLOSED")],
    ),
    endpoint(
        "POST",
        "/staff/queue/call-next",
        call_next,
        auth=TICKETS.roles_for("call"),
        body=CallBody,
        response=TicketOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "QUEUE_EMPTY"), (409, "NO_WINDOW"), (409, "STAFF_ABSENT")],
    ),
    *(
        endpoint(
            "POST",
            f"/staff/queue/{{id:id}}/{action}",
            handler,
            auth=TICKETS.roles_for(action),
            response=TicketOut,
            tags=TAGS,
            errors=[
                (404, "NOT_FOUND"),
                (409, TICKETS.refusals[action].code),
                *([(409, "STAFF_ABSENT")] if action == "recall" else []),  # AB角: A away
            ],
        )
        for action, handler in _TICKET_ACTIONS.items()
    ),
]
