"""The weighting in force: one row (id 1), absent until a supervisor first sets it."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from citizen_api import db
from citizen_api.performance.models import PerformanceWeights

ROW_ID = 1


async def current() -> PerformanceWeights | None:
    return await PerformanceWeights.get_or_none(id=ROW_ID)


async def put(values: dict[str, int], by: int, now: datetime) -> None:
    if await PerformanceWeights.filter(id=ROW_ID).update(**values, updated_by=by, updated_at=now):
        return
    try:
        async with db.atomic():  # a savepoint: two first settings at once, the later one updates
            await PerformanceWeights.create(id=ROW_ID, **values, updated_by=by, updated_at=now)
    except IntegrityError:
        await PerformanceWeights.filter(id=ROW_ID).update(**values, updated_by=by, updated_at=now)
