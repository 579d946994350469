"""Computed months: the month row with its weights, its scores and the cases behind each score.

A recompute deletes the month's rows and writes them again in the caller's transaction, so readers
see the old month or the new one, never a mix."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count

from citizen_api import db
from citizen_api.performance.models import PerformanceCase, PerformanceMonth, PerformanceScore

_BATCH = 500


async def month(name: str) -> PerformanceMonth | None:
    return await PerformanceMonth.get_or_none(month=name)


async def lock_month(name: str, weights: dict[str, int], by: int | None, now: datetime) -> None:
    """Create the month's row or take it, row-locked until commit (PostgreSQL): two computes of one
    month queue behind each other instead of interleaving their deletes and inserts. A new row is
    held by its uncommitted insert: the second insert waits on the unique key, then updates."""
    try:
        async with db.atomic():  # a savepoint: a compute that created the row meanwhile wins the insert
            await PerformanceMonth.create(month=name, weights=weights, computed_at=now, computed_by=by)
            return
    except IntegrityError:
        pass
    row = await PerformanceMonth.filter(month=name).select_for_update().first()
    await PerformanceMonth.filter(id=row.id).update(weights=weights, computed_at=now, computed_by=by)


async def replace(name: str, scores: list[dict[str, Any]], cases: list[dict[str, Any]]) -> None:
    await PerformanceScore.filter(month=name).delete()
    await PerformanceCase.filter(month=name).delete()
    for start in range(0, len(scores), _BATCH):
        await PerformanceScore.bulk_create(
            [PerformanceScore(month=name, **s) for s in scores[start : start + _BATCH]]
        )
    for start in range(0, len(cases), _BATCH):
        await PerformanceCase.bulk_create(
            [PerformanceCase(month=name, **c) for c in cases[start : start + _BATCH]]
        )


async def scores(name: str, level: str) -> list[PerformanceScore]:
    return list(await PerformanceScore.filter(month=name, level=level).order_by("key"))


async def score(name: str, level: str, key: str) -> PerformanceScore | None:
    return await PerformanceScore.get_or_none(month=name, level=level, key=key)


async def level_counts(name: str) -> dict[str, int]:
    rows = (
        await PerformanceScore.filter(month=name)
        .annotate(n=Count("id"))
        .group_by("level")
        .values("level", "n")
    )
    return {row["level"]: int(row["n"]) for row in rows}


async def cases_of(
    name: str, level: str, key: str, offset: int, size: int
) -> tuple[int, list[PerformanceCase]]:
    query = PerformanceCase.filter(month=name, level=level, key=key)
    return await query.count(), list(await query.order_by("number", "id").offset(offset).limit(size))


async def all_cases(name: str, level: str, limit: int) -> list[PerformanceCase]:
    return list(await PerformanceCase.filter(month=name, level=level).order_by("key", "number").limit(limit))
