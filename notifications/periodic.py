"""Running the periodic jobs (the registry's ``PERIODIC_JOBS``): the in-process loop of ``onetrip
serve`` without Redis (:func:`run_due`), and one run of a job for the arq cron of ``onetrip
worker`` (:func:`run_job`). Either way one process runs a job per interval (:func:`claim_run`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog

from citizen_api import clock, db
from citizen_api.jobs import JobContext, PeriodicJob
from citizen_api.state import AppState
from notifications import repository as repo

log = structlog.get_logger("onetrip.jobs")


async def run_job(job: PeriodicJob, state: AppState, now: datetime | None = None) -> int | None:
    """Run one job now; its count, or None when it failed (failures are logged, not raised)."""
    ctx = JobContext.for_state(state, now)
    try:
        with db.bound_state(state):  # units its services open belong to this process's state
            count = await job.run(ctx)
    except Exception:
        log.exception("periodic job failed", job=job.name)
        return None
    log.info("periodic job ran", job=job.name, count=count)
    return count


async def claim_run(name: str, interval: int, now: datetime) -> bool:
    """Whether this process should run ``name`` now (one process per interval, via the database)."""
    return await repo.claim_run(name, now, now + timedelta(seconds=interval))


async def run_due(state: AppState, jobs: Sequence[PeriodicJob]) -> dict[str, int | None]:
    """In-process mode: run every job whose interval has passed (called about once a second)."""
    results: dict[str, int | None] = {}
    for job in jobs:
        now = clock.now()
        if await claim_run(job.name, job.interval_seconds, now):
            results[job.name] = await run_job(job, state, now)
            await repo.record_run(job.name, str(results[job.name]))
    return results


def cron_fields(interval: int) -> dict[str, set[int]]:
    """arq cron fields that fire every ``interval`` seconds (rounded to what a clock face allows)."""
    if interval < 60:
        step = max(1, interval)
        return {"second": set(range(0, 60, step))}
    if interval < 3600:
        return {"minute": set(range(0, 60, max(1, interval // 60))), "second": {0}}
    return {"hour": set(range(0, 24, max(1, interval // 3600))), "minute": {0}, "second": {0}}
