"""AB角 desk covers (``DeskCover``) and the tickets they move."""

from __future__ import annotations

from datetime import date, datetime

from citizen_api.appointments.models import DeskCover, QueueTicket
from citizen_api.appointments.transitions import CALLED, SERVING


async def open_cover_of_absent(user_id: int) -> DeskCover | None:
    return await DeskCover.filter(absent_user_id=user_id, ended_at__isnull=True).first()


async def open_covers_by(cover_user_id: int) -> list[DeskCover]:
    """What a backup covers now, with each group (oldest first)."""
    query = DeskCover.filter(cover_user_id=cover_user_id, ended_at__isnull=True)
    return await query.select_related("group__office").order_by("id")


async def create_cover(
    absent_user_id: int, cover_user_id: int, group_id: int | None, now: datetime
) -> DeskCover:
    return await DeskCover.create(
        absent_user_id=absent_user_id, cover_user_id=cover_user_id, group_id=group_id, started_at=now
    )


async def end_cover(cover_id: int, now: datetime) -> bool:
    """One conditional UPDATE: two returns end a cover once."""
    return await DeskCover.filter(id=cover_id, ended_at__isnull=True).update(ended_at=now) == 1


async def repoint_cover(cover_id: int, cover_user_id: int) -> bool:
    """An open cover now held by another backup (AB角 chain: B is away too, C covers A's desk)."""
    query = DeskCover.filter(id=cover_id, ended_at__isnull=True)
    return await query.update(cover_user_id=cover_user_id) == 1


async def reassign_active_tickets(called_by: int, day: date, to_user: int, window: str) -> list[str]:
    """The numbers of ``called_by``'s called or serving tickets of ``day``, now at ``window`` (B's)."""
    query = QueueTicket.filter(called_by=called_by, date=day, status__in=[CALLED, SERVING])
    numbers = list(await query.order_by("id").values_list("number", flat=True))
    if numbers:
        await query.update(called_by=to_user, window=window)
    return numbers


async def active_at_window(group_ids: list[int], day: date, window: str) -> list[QueueTicket]:
    """Called and serving tickets of other groups at this window (a covered group's, moved to B)."""
    query = QueueTicket.filter(group_id__in=group_ids, date=day, status__in=[CALLED, SERVING], window=window)
    return await query.order_by("-called_at", "-id")
