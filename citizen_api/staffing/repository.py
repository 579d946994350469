"""Every query of AB角."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from citizen_api.staffing.models import Absence, Backup
from citizen_api.staffing.transitions import ABSENCES, ABSENT


async def backup_of(user_id: int) -> Backup | None:
    return await Backup.get_or_none(user_id=user_id)


async def backups_of(user_ids: Iterable[int]) -> dict[int, int]:
    """A → B for these clerks."""
    rows = await Backup.filter(user_id__in=list(user_ids)).values_list("user_id", "backup_user_id")
    return {int(a): int(b) for a, b in rows}


async def set_backup(user_id: int, backup_user_id: int, set_by: int, now: datetime) -> None:
    changed = await Backup.filter(user_id=user_id).update(
        backup_user_id=backup_user_id, set_by=set_by, updated_at=now
    )
    if not changed:
        await Backup.create(user_id=user_id, backup_user_id=backup_user_id, set_by=set_by, updated_at=now)


async def open_absence(user_id: int) -> Absence | None:
    return await Absence.get_or_none(user_id=user_id, status=ABSENT)


async def open_absences(user_ids: Iterable[int]) -> dict[int, Absence]:
    rows = await Absence.filter(user_id__in=list(user_ids), status=ABSENT)
    return {row.user_id: row for row in rows}


async def create_absence(**values: Any) -> Absence:
    return await Absence.create(open_key=values["user_id"], status=ABSENT, **values)


async def record_handover(
    absence_id: int, case_ids: list[int], tickets: list[str], group: str | None
) -> None:
    await Absence.filter(id=absence_id).update(case_ids=case_ids, tickets=tickets, group_name=group)


async def end_absence(absence_id: int, **fields: Any) -> bool:
    """``ABSENCES`` return: one conditional UPDATE."""
    changed = await Absence.filter(id=absence_id, status__in=list(ABSENCES.sources("return"))).update(
        status=ABSENCES.target("return"), open_key=None, **fields
    )
    return changed == 1


async def get_absence(absence_id: int) -> Absence | None:
    return await Absence.get_or_none(id=absence_id)


async def all_open_absences() -> dict[int, int]:
    """Every clerk away now → the backup named on their absence (few at a time: the AB角 chain)."""
    rows = await Absence.filter(status=ABSENT).values_list("user_id", "backup_user_id")
    return {int(a): int(b) for a, b in rows}
