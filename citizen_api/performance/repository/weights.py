"""The weighting in force: one row (id 1), absent until a supervisor first sets it."""

from __future__ import annotations

from datetime import datetime

from citizen_api.performance.models import PerformanceWeights

ROW_ID = 1


async def current() -> PerformanceWeights | None:
    return await PerformanceWeights.get_or_none(id=ROW_ID)


async def put(values: dict[str, int], by: int, now: datetime) -> None:
    if not await PerformanceWeights.filter(id=ROW_ID).update(**values, updated_by=by, updated_at=now):
        await PerformanceWeights.create(id=ROW_ID, **values, updated_by=by, updated_at=now)
