"""The AB角 chain: A is away and covered by B; when B is away too, B's backup C covers both.

Each absence names the backup on duty when it began (A → B, then B → C). Who covers an absent clerk
now is the first on-duty person along those names: C for A while B is away, B again once B is back.
A chain cannot loop: an absence is refused (BACKUP_ABSENT) when the named backup is away already.
"""

from __future__ import annotations

from citizen_api.appointments import service as appointments
from citizen_api.staffing import repository as repo


def holders(named: dict[int, int], backup_user_id: int) -> list[int]:
    """``backup_user_id`` and, while each is away, their backup in turn: who may hold what an
    absent clerk handed over (the last one is on duty)."""
    chain = [backup_user_id]
    while chain[-1] in named and named[chain[-1]] not in chain:
        chain.append(named[chain[-1]])
    return chain


def covers_now(named: dict[int, int]) -> dict[int, int]:
    """Every absent clerk → who covers them now (the on-duty end of their chain)."""
    return {absent: holders(named, backup)[-1] for absent, backup in named.items()}


def covered_through(named: dict[int, int], user_id: int) -> list[int]:
    """The absent clerks whose chain passes through ``user_id`` (A for B when A → B)."""
    return sorted(absent for absent, backup in named.items() if user_id in holders(named, backup))


async def sync_desk_covers(user_id: int) -> list[int]:
    """After ``user_id`` is marked away or back: each desk covered through them goes to whoever covers
    it now. The absent clerks whose cover moved."""
    named = await repo.all_open_absences()
    now = covers_now(named)
    return [a for a in covered_through(named, user_id) if await appointments.move_desk_cover(a, now[a])]
