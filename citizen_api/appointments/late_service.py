"""延时服务: citizens still waiting when the hall closes are served, not dropped.

The hall closes at the end of the group's last opening period of the day (its schedule template),
else at ``hall_closes_at``. After that no new number is given (walk-in or check-in: 409
HALL_CLOSED), while every number already given stays in the queue and is called as before. A
window serving past closing is marked (``LateService``): by its clerk's button, or by its first call
after closing. The hall's TVs show those windows. A window's late service ends only when nobody of its
group waits any more, or another window of the group still serves late (409 LATE_QUEUE_WAITING).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from citizen_api import clock
from citizen_api.appointments import desks
from citizen_api.appointments.closing import closing
from citizen_api.appointments.hall import group_in_scope, in_scope
from citizen_api.appointments.models import Window, WindowGroup
from citizen_api.appointments.repository import late_services as repo
from citizen_api.appointments.schemas_late import LateServiceOut
from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal

# (office code): tells the hall's TVs that its late windows changed (read now, sent after commit)
Changed = Callable[[str], Awaitable[None]]


async def status(group: WindowGroup, settings) -> LateServiceOut:
    today = clock.today()
    closes_at, source = await closing(group.id, today, settings)
    return LateServiceOut(
        group=group.code,
        date=today,
        closes_at=closes_at,
        closing_source=source,  # type: ignore[arg-type]
        after_close=clock.now() >= closes_at,
        waiting=await repo.waiting_count(group.id, today),
        windows=await repo.open_window_numbers([group.id], today),
    )


async def status_of(principal: Principal, code: str | None, settings) -> LateServiceOut:
    return await status(await _group(principal, code), settings)


async def _group(principal: Principal, code: str | None) -> WindowGroup:
    if code is None:
        window = await desks.desk_window(principal)
        if window is None:
            raise ApiError(409, "NO_WINDOW", "未分配窗口")
        code = window.group.code
    return await group_in_scope(principal, code)


async def _window(principal: Principal, window_id: int | None) -> Window:
    """The window named (centre-wide roles: any; others: of their department), else the caller's desk."""
    if window_id is None:
        desk = await desks.desk_window(principal)
        if desk is None:
            raise ApiError(409, "NO_WINDOW", "未分配窗口")
        window_id = desk.id
    window = await repo.window_by_id(window_id)
    if window is None or not in_scope(principal, window.group.department_code):
        raise ApiError(404, "NOT_FOUND", "未找到该窗口")
    return window


async def start(principal: Principal, window_id: int | None, settings, changed: Changed) -> LateServiceOut:
    """开启延时服务 (before closing too: the TVs tell the hall which windows will stay)."""
    window = await _window(principal, window_id)
    if await repo.start(window.id, clock.today(), clock.now(), principal.user_id, automatic=False):
        await record(principal, "queue.late_service_start", "window", window.id, {"number": window.number})
        await changed(window.group.office.code)
    return await status(window.group, settings)


async def end(principal: Principal, window_id: int | None, settings, changed: Changed) -> LateServiceOut:
    window = await _window(principal, window_id)
    today = clock.today()
    group = window.group
    waiting = await repo.waiting_count(group.id, today)
    others = [n for n in await repo.open_window_numbers([group.id], today) if n != window.number]
    closes_at, _ = await closing(group.id, today, settings)
    if waiting and not others and clock.now() >= closes_at:
        raise ApiError(
            409,
            "LATE_QUEUE_WAITING",
            f"仍有 {waiting} 位群众在等候，办完后才能结束延时服务（或由本组其他窗口接续）",
            {"waiting": waiting},
        )
    if await repo.end(window.id, today, clock.now(), principal.user_id):
        await record(principal, "queue.late_service_end", "window", window.id, {"number": window.number})
        await changed(group.office.code)
    return await status(group, settings)


async def on_call(
    principal: Principal, group: WindowGroup, window_number: str, settings, changed: Changed
) -> None:
    """A call after closing marks the calling window as serving late (if it was not already)."""
    today = clock.today()
    closes_at, _ = await closing(group.id, today, settings)
    if clock.now() < closes_at:
        return
    window = await repo.window_in_group(group.id, window_number)
    if window is None:
        return
    if await repo.start(window.id, today, clock.now(), principal.user_id, automatic=True):
        await record(
            principal,
            "queue.late_service_start",
            "window",
            window.id,
            {"number": window.number, "automatic": True},
        )
        await changed(group.office.code)


async def office_late_windows(office_code: str) -> list[str]:
    """The windows of a hall serving late now (the hall TV's banner)."""
    return await repo.office_open_window_numbers(office_code, clock.today())
