"""The queries of authorisations (代办授权)."""

from __future__ import annotations

from datetime import date
from typing import Any

from citizen_api.agents.models import Authorisation
from citizen_api.agents.transitions import ACTIVE


async def create(**values: Any) -> Authorisation:
    return await Authorisation.create(**values)


async def by_id(authorisation_id: int, *, lock: bool = False) -> Authorisation | None:
    """One authorisation (row-locked until commit with ``lock``)."""
    query = Authorisation.filter(id=authorisation_id)
    if lock:
        query = query.select_for_update()
    return await query.first()


async def given_by(principal_id: int, offset: int, limit: int) -> tuple[int, list[Authorisation]]:
    query = Authorisation.filter(principal_id=principal_id)
    total = await query.count()
    return total, await query.order_by("-created_at", "-id").offset(offset).limit(limit)


async def active_count(principal_id: int, today: date) -> int:
    return await Authorisation.filter(principal_id=principal_id, status=ACTIVE, until__gte=today).count()


async def naming(person_key: str, *, in_force_on: date | None = None) -> list[Authorisation]:
    """Every authorisation naming the person (with ``in_force_on``: only those active that day),
    newest first; the caller compares the name too. A person is named by few: no paging here."""
    query = Authorisation.filter(agent_person_key=person_key)
    if in_force_on is not None:
        query = query.filter(status=ACTIVE, until__gte=in_force_on)
    return await query.order_by("-created_at", "-id").limit(500)


async def move(authorisation_id: int, sources: list[str], **values: Any) -> bool:
    """``UPDATE … WHERE id = ? AND status IN (sources)``: False when it was no longer there."""
    moved = await Authorisation.filter(id=authorisation_id, status__in=sources).update(**values)
    return moved == 1
