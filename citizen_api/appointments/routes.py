"""Citizen appointment API (the contract's /appointments calls) plus the hall and admin endpoints."""

from __future__ import annotations

import asyncio
import inspect

from citizen_api.appointments import (
    booking,
    cancellation,
    full_cache,
    hall_feed,
    hot,
    service,
    throttle,
    waitlist,
)
from citizen_api.appointments.lifecycle import broker_of
from citizen_api.appointments.routes_admin import ENDPOINTS as ADMIN_ENDPOINTS
from citizen_api.appointments.routes_late import ENDPOINTS as LATE_ENDPOINTS
from citizen_api.appointments.routes_lottery import LOTTERY_ENDPOINTS
from citizen_api.appointments.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.appointments.rules import slot_full
from citizen_api.appointments.schemas import (
    AppointmentOut,
    BookBody,
    BookingBody,
    DayOut,
    DaysQuery,
    MyAppointmentsQuery,
    SlotOut,
    SlotsQuery,
    WaitlistOut,
)
from citizen_api.appointments.schemas_hall import HallFeed
from citizen_api.appointments.transitions import APPOINTMENTS, WAITLIST
from citizen_api.http import Ctx, Page, endpoint

TAGS = ["appointments"]
BOOKING_ERRORS = [
    (404, "NOT_FOUND"),
    (409, "NOT_BOOKABLE"),
    (409, "OUTSIDE_BOOKING_WINDOW"),
    (409, "DAY_CLOSED"),
    (409, "ALREADY_BOOKED"),
    (409, "NOT_YET_OPEN"),
    (409, "PROFILE_INCOMPLETE"),
    (403, "BOOKING_SUSPENDED"),
    (429, "RATE_LIMITED"),
]


async def list_days(ctx: Ctx) -> list[DayOut]:
    """可预约日期：工作日、调休上班日、节假日预约服务日；其余为 closed"""
    return await service.list_days(ctx.query, ctx.state)


async def list_slots(ctx: Ctx) -> list[SlotOut]:
    """某日的预约时段与剩余名额（约满的时段可加入候补）"""
    return await service.list_slots(ctx.query, ctx.state)


async def book(ctx: Ctx) -> AppointmentOut:
    """预约一个时段（需实名信息；放号前答 NOT_YET_OPEN）"""
    if full_cache.known_full_here(ctx.state, ctx.body.slot_id):
        raise slot_full()  # most of a rush: this process's copy of the mark, no I/O at all
    # one turn of the event loop for both Redis calls: in a rush every turn of a busy process is long
    _, seen = await asyncio.gather(
        throttle.booking_attempt(ctx.state, ctx.user.user_id, ctx.client_ip),
        full_cache.seen(ctx.state, ctx.body.slot_id),
    )
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await booking.book(ctx.user, ctx.body, ctx.state, ctx.atomic, seen)


async def my_appointments(ctx: Ctx) -> Page[AppointmentOut]:
    """我的预约"""
    return await service.my_appointments(ctx.user, ctx.query, ctx.settings)


async def my_appointment(ctx: Ctx) -> AppointmentOut:
    """预约详情"""
    return await service.my_appointment(ctx.user, ctx.path["id"], ctx.settings)


async def cancel(ctx: Ctx) -> AppointmentOut:
    """取消预约（开始前 2 小时截止）；名额自动转给第一位候补"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await cancellation.cancel(ctx.user, ctx.path["id"], ctx.state, ctx.atomic)


async def join_waitlist(ctx: Ctx) -> WaitlistOut:
    """约满的时段加入候补：有人取消时自动转为预约"""
    await throttle.booking_attempt(ctx.state, ctx.user.user_id, ctx.client_ip)
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await waitlist.join(ctx.user, ctx.body, ctx.state, ctx.atomic)


async def my_waits(ctx: Ctx) -> list[WaitlistOut]:
    """我的候补与排位"""
    return await waitlist.my_waits(ctx.user)


async def leave_waitlist(ctx: Ctx) -> WaitlistOut:
    """退出候补"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await waitlist.leave(ctx.user, ctx.path["id"])


async def hall_calls(ctx: Ctx) -> HallFeed:
    """大厅叫号屏：今天最近的叫号（号、窗口、时间；不含个人信息，无需登录）"""
    return await hall_feed.feed(ctx.path["office_code"])


async def hall_stream(ctx: Ctx):
    """大厅叫号屏的实时推送（Server-Sent Events，无需登录）

    每次叫号或重新呼叫推送一条 `event: called`，`data` 为 `{number, window, called_at}`（与 feed 的
    called 各项相同）；空闲时每 15 秒一行 `: ping` 注释；`retry: 2000`（断线 2 秒后自动重连）。
    """
    return await hall_feed.stream(ctx.path["office_code"], broker_of(ctx.state))


SSE_DOC = {
    "description": "text/event-stream：`event: called` + `data: {number, window, called_at}`，`: ping` 保活",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}

ENDPOINTS = [
    endpoint(
        "GET",
        "/appointments/days",
        list_days,
        query=DaysQuery,
        response=list[DayOut],
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_BOOKABLE")],
    ),
    endpoint(
        "GET",
        "/appointments/slots",
        list_slots,
        query=SlotsQuery,
        response=list[SlotOut],
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_BOOKABLE")],
    ),
    # atomic="manual": the read-only checks run first, then the request's unit of work (ctx.atomic),
    # run again if PostgreSQL breaks a deadlock (appointments.retry)
    endpoint(
        "POST",
        "/appointments",
        book,
        auth="citizen",
        body=BookingBody,
        response=AppointmentOut,
        status=201,
        atomic="manual",
        tags=TAGS,
        errors=[
            *BOOKING_ERRORS,
            (409, "SLOT_FULL"),
            (409, "BOOKING_LIMIT_REACHED"),
            (409, "LOTTERY_DAY"),
            (403, "AGENT_NOT_AUTHORISED"),  # on_behalf_of (代办): revoked, expired, item not covered
        ],
    ),
    endpoint(
        "GET",
        "/appointments",
        my_appointments,
        auth="citizen",
        query=MyAppointmentsQuery,
        response=Page[AppointmentOut],
        tags=TAGS,
    ),
    endpoint(
        "GET",
        "/appointments/waitlist",
        my_waits,
        auth="citizen",
        response=list[WaitlistOut],
        tags=TAGS,
    ),
    endpoint(
        "POST",
        "/appointments/waitlist",
        join_waitlist,
        auth="citizen",
        body=BookBody,
        response=WaitlistOut,
        status=201,
        atomic="manual",
        tags=TAGS,
        errors=[*BOOKING_ERRORS, (409, "SLOT_AVAILABLE"), (409, "ALREADY_WAITING")],
    ),
    endpoint(
        "POST",
        "/appointments/waitlist/{id:id}/leave",
        leave_waitlist,
        auth=WAITLIST.roles_for("leave"),
        response=WaitlistOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_WAITING")],
    ),
    endpoint(
        "GET",
        "/appointments/{id:id}",
        my_appointment,
        auth="citizen",
        response=AppointmentOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/appointments/{id:id}/cancel",
        cancel,
        auth=APPOINTMENTS.roles_for("cancel"),
        response=AppointmentOut,
        atomic="manual",
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "CANCEL_TOO_LATE"), (409, "NOT_CANCELLABLE")],
    ),
    endpoint(
        "GET",
        "/hall/{office_code}/feed",
        hall_calls,
        response=HallFeed,
        tags=["hall"],
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "GET",
        "/hall/{office_code}/stream",
        hall_stream,
        description=inspect.cleandoc(hall_stream.__doc__ or "").partition("\n")[2].strip(),
        raw_response_doc=SSE_DOC,
        tags=["hall"],
        errors=[(404, "NOT_FOUND")],
    ),
    *STAFF_ENDPOINTS,
    *ADMIN_ENDPOINTS,
    *LOTTERY_ENDPOINTS,
    *LATE_ENDPOINTS,
]
