"""AB角 at the hall: while a clerk (A) is marked absent, their backup (B) covers A's desk.

Starting a cover moves A's called and serving tickets of the day to B's window (the hall TV shows
B's window when one is re-called) and lets B's call-next draw from A's window group too, in the
usual order (priority, booked, walk-in; each by arrival) across both groups. A cannot call numbers
until the cover ends. The staffing domain starts and ends covers through ``appointments.service``.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api import clock
from citizen_api.appointments.models import WindowGroup
from citizen_api.appointments.repository import covers as repo
from citizen_api.appointments.repository import desks as desks_repo
from citizen_api.errors import ApiError


@dataclass(frozen=True)
class CoverStarted:
    """What B took over at the hall: A's window group (None without a desk) and A's tickets moved."""

    group_code: str | None
    group_name: str | None
    tickets: list[str]


@dataclass(frozen=True)
class CoveredDesk:
    """A desk a backup covers now."""

    absent_user_id: int
    group_id: int | None
    group_code: str | None
    group_name: str | None
    office_code: str | None


async def start_cover(absent_user_id: int, cover_user_id: int) -> CoverStarted:
    """B covers A's desk from now on (idempotent for an open cover of A)."""
    if await repo.open_cover_of_absent(absent_user_id) is not None:
        return CoverStarted(None, None, [])
    desk_a = await desks_repo.desk_of(absent_user_id)
    group: WindowGroup | None = desk_a.group if desk_a is not None else None
    await repo.create_cover(absent_user_id, cover_user_id, group.id if group else None, clock.now())
    desk_b = await desks_repo.desk_of(cover_user_id)
    tickets: list[str] = []
    if desk_b is not None:  # without a desk B has no window to call A's citizens to
        today = clock.today()
        tickets = await repo.reassign_active_tickets(absent_user_id, today, cover_user_id, desk_b.number)
    return CoverStarted(group.code if group else None, group.name if group else None, tickets)


async def end_cover(absent_user_id: int) -> bool:
    """A is back: B's call-next draws from B's own group only again. False when nothing was covered."""
    cover = await repo.open_cover_of_absent(absent_user_id)
    return cover is not None and await repo.end_cover(cover.id, clock.now())


async def move_cover(absent_user_id: int, cover_user_id: int) -> bool:
    """A's open cover passes to another backup (B is away too: C; B is back: B again). Numbers
    already called stay at the window that called them. False when A has no open cover."""
    cover = await repo.open_cover_of_absent(absent_user_id)
    if cover is None or cover.cover_user_id == cover_user_id:
        return False
    return await repo.repoint_cover(cover.id, cover_user_id)


async def covered_by(cover_user_id: int) -> list[CoveredDesk]:
    return [
        CoveredDesk(
            absent_user_id=c.absent_user_id,
            group_id=c.group_id,
            group_code=c.group.code if c.group else None,
            group_name=c.group.name if c.group else None,
            office_code=c.group.office.code if c.group else None,
        )
        for c in await repo.open_covers_by(cover_user_id)
    ]


async def refuse_if_absent(user_id: int) -> None:
    """A clerk marked absent calls no numbers until they are back (their backup calls them)."""
    if await repo.open_cover_of_absent(user_id) is not None:
        raise ApiError(409, "STAFF_ABSENT", "您已被标记为缺岗，号由您的 B 角代叫；返岗后方可叫号")
