"""Every query of 上门服务."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.functions import Count

from citizen_api.visits import transitions
from citizen_api.visits.models import HomeVisit
from citizen_api.visits.transitions import VISITS


async def create(**values: Any) -> HomeVisit:
    return await HomeVisit.create(**values)


async def get(visit_id: int) -> HomeVisit | None:
    return await HomeVisit.get_or_none(id=visit_id)


async def open_of(user_id: int, item_code: str) -> HomeVisit | None:
    live = (transitions.PENDING, transitions.REQUESTED, transitions.SCHEDULED)
    return await HomeVisit.get_or_none(user_id=user_id, item_code=item_code, status__in=live)


async def move(visit_id: int, action: str, **fields: Any) -> bool:
    changed = await HomeVisit.filter(id=visit_id, status__in=list(VISITS.sources(action))).update(
        status=VISITS.target(action), **fields
    )
    return changed == 1


async def of_citizen(user_id: int, offset: int, size: int) -> tuple[int, list[HomeVisit]]:
    query = HomeVisit.filter(user_id=user_id)
    return await query.count(), await query.order_by("-id").offset(offset).limit(size)


async def page(
    status: str | None, department: str | None, offset: int, size: int
) -> tuple[int, list[HomeVisit]]:
    query = HomeVisit.all()
    if status:
        query = query.filter(status=status)
    if department:
        query = query.filter(department_code=department)
    return await query.count(), await query.order_by("scheduled_on", "id").offset(offset).limit(size)


async def counts(
    department: str | None, since: datetime, until: datetime
) -> dict[tuple[str, str | None], int]:
    """(status, outcome) → visits requested in [since, until)."""
    query = HomeVisit.filter(requested_at__gte=since, requested_at__lt=until)
    if department:
        query = query.filter(department_code=department)
    rows = await query.annotate(n=Count("id")).group_by("status", "outcome").values("status", "outcome", "n")
    return {(row["status"], row["outcome"]): int(row["n"]) for row in rows}
