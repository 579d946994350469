"""Periodic jobs of every domain: arq cron in ``onetrip worker``, a loop inside the API otherwise.

Each entry is ``(name, interval_seconds, "package.module:function")``; the function is
``async def job(now) -> int`` (``now`` is an aware datetime; the count is logged); it is also
given ``settings=`` and ``runtime=`` (WeChat access) when its signature names them. A target
that does not exist (yet) is skipped quietly, so domains can land in any order. Jobs must be
idempotent (outbox ``dedupe_key`` …): a crash or two processes may run one twice.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import structlog
from tortoise.exceptions import IntegrityError

from citizen_api import clock
from notifications.models import PeriodicRun

log = structlog.get_logger("onetrip.jobs")

JobEntry = tuple[str, int, str]

PERIODIC_JOBS: list[JobEntry] = [
    ("supervision_warnings", 300, "citizen_api.cases.supervision:run_warnings"),  # 电子监察
    ("supplement_reminders", 900, "citizen_api.cases.reminders:run_supplement_reminders"),  # 补正
    ("appointment_reminders", 120, "citizen_api.appointments.reminders:run_reminders"),
    ("rating_jobs", 3600, "citizen_api.ratings.jobs:run_rating_jobs"),
    ("upload_orphans", 3600, "citizen_api.uploads.service:clean_orphans"),
    ("delivery_checks", 1800, "citizen_api.delivery.jobs:run_delivery_checks"),
    ("bot_housekeeping", 600, "bots.store:purge_expired"),
    ("follower_unionids", 600, "bots.followers:fill_missing_unionids"),
]

JobFn = Callable[..., Awaitable[Any]]


def resolve(path: str) -> JobFn | None:
    """The function at ``module:attr``, or None when that module or function does not exist."""
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # only a missing target (or one of its parents) is "not there yet"; anything else is a bug
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise
    target = getattr(module, attr, None)
    return target if callable(target) else None


async def run_job(name: str, path: str, now: datetime, runtime: Any = None) -> int | None:
    """Run one job now; None when its target does not exist. Failures are logged, not raised."""
    target = resolve(path)
    if target is None:
        log.debug("periodic job target missing, skipped", job=name, target=path)
        return None
    parameters = inspect.signature(target).parameters
    kwargs: dict[str, Any] = {}
    if "runtime" in parameters:
        kwargs["runtime"] = runtime
    if "settings" in parameters and runtime is not None:
        kwargs["settings"] = runtime.settings
    try:
        count = await target(now, **kwargs)
    except Exception:
        log.exception("periodic job failed", job=name)
        return None
    log.info("periodic job ran", job=name, count=count)
    return int(count) if isinstance(count, int) else 0


async def claim_run(name: str, interval: int, now: datetime) -> bool:
    """Whether this process should run ``name`` now (one process per interval, via the database)."""
    following = now + timedelta(seconds=interval)
    taken = await PeriodicRun.filter(name=name, next_run_at__lte=now).update(
        next_run_at=following, last_started_at=now
    )
    if taken:
        return True
    if await PeriodicRun.exists(name=name):
        return False
    try:
        await PeriodicRun.create(name=name, next_run_at=following, last_started_at=now)
    except IntegrityError:
        return False  # another process created it first and runs it
    return True


async def run_due(runtime: Any = None, jobs: list[JobEntry] | None = None) -> dict[str, int | None]:
    """In-process mode: run every job whose interval has passed (called about once a second)."""
    results: dict[str, int | None] = {}
    for name, interval, path in PERIODIC_JOBS if jobs is None else jobs:
        now = clock.now()
        if resolve(path) is None:
            continue
        if await claim_run(name, interval, now):
            results[name] = await run_job(name, path, now, runtime)
            await PeriodicRun.filter(name=name).update(last_result=str(results[name]))
    return results


def cron_fields(interval: int) -> dict[str, set[int]]:
    """arq cron fields that fire every ``interval`` seconds (rounded to what a clock face allows)."""
    if interval < 60:
        step = max(1, interval)
        return {"second": set(range(0, 60, step))}
    if interval < 3600:
        return {"minute": set(range(0, 60, max(1, interval // 60))), "second": {0}}
    return {"hour": set(range(0, 24, max(1, interval // 3600))), "minute": {0}, "second": {0}}
