"""Admin calendar: open a holiday for appointment-only service, close a day, add a make-up workday."""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.validation import validation_error
from citizen_api.workdays import cache, service
from citizen_api.workdays.schedule import ScheduleError, parse
from citizen_api.workdays.schemas import (
    IMPORT_BODY_DOC,
    CalendarDayOut,
    CalendarImportChange,
    CalendarImportOut,
    CalendarImportQuery,
    CalendarOverrideIn,
    CalendarQuery,
    parse_iso_day,
)

MAX_LISTED_DAYS = 366
MAX_IMPORT_BYTES = 64 * 1024


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


async def import_calendar(ctx: Ctx) -> CalendarImportOut:
    """导入年度放假安排（与 onetrip holidays import 同一文件）：dry_run=true 预览，false 导入（管理员）"""
    raw = await ctx.request.body()
    if len(raw) > MAX_IMPORT_BYTES:
        raise validation_error({"body": f"文件不能超过 {MAX_IMPORT_BYTES // 1024} KB"})
    try:
        schedule = parse(raw)
    except ScheduleError as exc:
        fields = {("body." + key if key else "body"): message for key, message in exc.fields.items()}
        raise validation_error(fields or {"body": "年度安排有误"}, "年度放假安排有误") from None
    preview = await service.preview_import(schedule)
    applied = not ctx.query.dry_run
    if applied:
        await service.import_schedule(schedule, ctx.user)
        ctx.after_commit(cache.expire_check)
    return CalendarImportOut(
        year=preview.year,
        known_before=preview.known_before,
        applied=applied,
        holidays=preview.holidays,
        workdays=preview.workdays,
        changes=[
            CalendarImportChange(date=day, name=name, kind_before=before, kind_after=after)
            for day, name, before, after in preview.changes
        ],
    )


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
    endpoint(
        "POST",
        "/staff/calendar/import",
        import_calendar,
        auth={"admin"},
        query=CalendarImportQuery,
        raw_request_doc=IMPORT_BODY_DOC,
        response=CalendarImportOut,
        tags=["staff-calendar"],
        errors=[(422, "VALIDATION_ERROR")],
    ),
]
