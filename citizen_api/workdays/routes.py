"""Admin calendar: open a holiday for appointment-only service, close a day, add a make-up workday."""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.validation import validation_error
from citizen_api.workdays import cache, service
from citizen_api.workdays.schemas import CalendarDayOut, CalendarOverrideIn, CalendarQuery, parse_iso_day

MAX_LISTED_DAYS = 366


def _path_day(ctx: Ctx):
    try:
        return parse_iso_day(ctx.path["date"])
    except ValueError as exc:
        raise validation_error({"path.date": str(exc)}) from None


async def list_calendar(ctx: Ctx) -> Page[CalendarDayOut]:
    """日历：每天的类型（工作日、调休上班、周末、节假日、预约服务、闭厅）"""
    query: CalendarQuery = ctx.query
    start = query.from_ or clock.today()
    end = query.to or start + timedelta(days=30)
    if end < start:
        raise validation_error({"query.to": "结束日期不能早于起始日期"})
    if (end - start).days >= MAX_LISTED_DAYS:
        raise validation_error({"query.to": f"跨度不能超过 {MAX_LISTED_DAYS} 天"})
    items = [CalendarDayOut.of(info) for info in await service.days_info(start, end)]
    return Page[CalendarDayOut](total=len(items), items=items)


async def put_calendar_day(ctx: Ctx) -> CalendarDayOut:
    """设置某日：节假日预约服务、闭厅或调休上班（管理员）"""
    day = _path_day(ctx)
    body: CalendarOverrideIn = ctx.body
    await service.set_override(day, body.kind, body.note.strip(), ctx.user)
    # other requests of this process may have re-checked before the commit: check again after it
    ctx.after_commit(cache.expire_check)
    return CalendarDayOut.of(await service.day_info(day))


async def delete_calendar_day(ctx: Ctx) -> CalendarDayOut:
    """撤销管理员对某日的设置，恢复年度安排（管理员）"""
    day = _path_day(ctx)
    await service.remove_override(day, ctx.user)
    ctx.after_commit(cache.expire_check)
    return CalendarDayOut.of(await service.day_info(day))


ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/calendar",
        list_calendar,
        auth="staff",
        query=CalendarQuery,
        response=Page[CalendarDayOut],
        tags=["staff-calendar"],
    ),
    endpoint(
        "PUT",
        "/staff/calendar/{date}",
        put_calendar_day,
        auth={"admin"},
        body=CalendarOverrideIn,
        response=CalendarDayOut,
        tags=["staff-calendar"],
    ),
    endpoint(
        "DELETE",
        "/staff/calendar/{date}",
        delete_calendar_day,
        auth={"admin"},
        response=CalendarDayOut,
        tags=["staff-calendar"],
        errors=[(404, "NOT_FOUND")],
    ),
]
