"""电子监察's rollup kept in step (``repository/rollup.py``): the compaction job and the operator's
rebuild and check (``onetrip cases stats-rebuild`` / ``stats-check``)."""

from __future__ import annotations

from collections import Counter

import structlog

from citizen_api import db
from citizen_api.cases.repository import rollup
from citizen_api.jobs import JobContext

log = structlog.get_logger("cases.stats_rollup")


async def run_compaction(ctx: JobContext) -> int:
    """The periodic job: :func:`compact`."""
    return await compact()


async def compact() -> int:
    """Fold the deltas the triggers wrote into the day rows (the reads stay exact without it; it
    keeps them a few thousand rows). Idempotent: a second run at once folds nothing twice."""
    folded = await rollup.compact()
    if folded:
        log.info("stats rollup compacted", deltas=folded)
    return folded


async def rebuild() -> int:
    async with db.atomic():  # the old rollup is gone only if the new one is written
        return await rollup.rebuild()


async def check() -> list[tuple[str, str, str, int, int]]:
    """Where the rollup differs from the cases: (department, day, key, rollup, cases); empty when
    the two agree (every figure, every day)."""
    start, end = rollup.ALL_DAYS
    figures = []
    for from_cases in (False, True):
        rows = await rollup.read(rollup.KEYS, start, end, None, "day", from_cases=from_cases)
        figures.append(
            Counter(
                {
                    (row["department_code"], row["period"].isoformat(), key): row[key]
                    for row in rows
                    for key in rollup.KEYS
                    if row[key]
                }
            )
        )
    kept, live = figures
    return sorted(
        (code, day, key, kept[code, day, key], live[code, day, key])
        for code, day, key in set(kept) | set(live)
        if kept[code, day, key] != live[code, day, key]
    )
