"""延时服务 rows (one per window and day) and the queue figures of a day's closing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from citizen_api.appointments.models import LateService, QueueTicket, Window, WindowGroup
from citizen_api.appointments.transitions import WAITING


async def window_in_group(group_id: int, number: str) -> Window | None:
    return await Window.get_or_none(group_id=group_id, number=number)


async def window_by_id(window_id: int) -> Window | None:
    return await Window.filter(id=window_id).select_related("group__office").first()


async def start(window_id: int, day: date, now: datetime, by: int, *, automatic: bool) -> bool:
    """Open the window's late service for the day; False when it already was open.

    One row per (window, day): INSERT … ON CONFLICT DO NOTHING, then re-open an ended one, so two
    clerks (or a click and a call) starting it at once still leave one open row.
    """
    if await LateService.filter(window_id=window_id, date=day, ended_at__isnull=True).exists():
        return False
    await LateService.bulk_create(
        [LateService(window_id=window_id, date=day, started_at=now, started_by=by, automatic=automatic)],
        ignore_conflicts=True,
    )
    await LateService.filter(window_id=window_id, date=day, ended_at__isnull=False).update(
        ended_at=None, ended_by=None, started_at=now, started_by=by, automatic=automatic
    )
    return True


async def end(window_id: int, day: date, now: datetime, by: int) -> bool:
    changed = await LateService.filter(window_id=window_id, date=day, ended_at__isnull=True).update(
        ended_at=now, ended_by=by
    )
    return changed == 1


async def of_groups(group_ids: Iterable[int], day: date) -> list[LateService]:
    """The day's late-service rows of these groups' windows (open and ended), window first."""
    query = LateService.filter(window__group_id__in=list(group_ids), date=day)
    return await query.select_related("window").order_by("window__number", "id")


async def open_window_numbers(group_ids: Iterable[int], day: date) -> list[str]:
    rows = await LateService.filter(
        window__group_id__in=list(group_ids), date=day, ended_at__isnull=True
    ).values_list("window__number", flat=True)
    return sorted(set(rows), key=lambda number: (len(number), number))


async def office_open_window_numbers(office_code: str, day: date) -> list[str]:
    rows = await LateService.filter(
        window__group__office__code=office_code, date=day, ended_at__isnull=True
    ).values_list("window__number", flat=True)
    return sorted(set(rows), key=lambda number: (len(number), number))


async def waiting_count(group_id: int, day: date) -> int:
    return await QueueTicket.filter(group_id=group_id, date=day, status=WAITING).count()


async def day_tickets(group_ids: Iterable[int], day: date) -> list[tuple[int, datetime | None, str]]:
    """(group id, called at, status) of every ticket of the day."""
    rows = await QueueTicket.filter(group_id__in=list(group_ids), date=day).values_list(
        "group_id", "called_at", "status"
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def active_groups(group_ids: list[int] | None) -> list[WindowGroup]:
    """Active window groups (all when ``group_ids`` is None), by code."""
    query = WindowGroup.filter(is_active=True)
    if group_ids is not None:
        query = query.filter(id__in=group_ids)
    return await query.order_by("code")
