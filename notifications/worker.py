"""``onetrip worker``: arq on Redis — the send job (one per outbox row, job id ``notify:<id>``),
a sweep that queues due rows (retries, rows written while Redis was down, crashed sends whose
lease ran out) and the registry's periodic jobs as arq cron jobs (one run per schedule, however
many workers).

arq is configured by the ``WorkerSettings`` class :func:`worker_settings` builds (what
``arq.worker.create_worker`` reads); tests build a burst worker from the same class with
:func:`build_worker` (``cron_jobs=False``: a burst worker with cron jobs never exits).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import structlog
from arq import cron, func
from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, create_worker
from redis.exceptions import RedisError

from citizen_api.db import close_db, init_db
from citizen_api.jobs import PeriodicJob
from citizen_api.settings import Settings
from citizen_api.state import AppState
from notifications import dispatcher, periodic
from notifications.arq_queue import SEND_JOB, enqueue_due

log = structlog.get_logger("onetrip.worker")

WORKER_POLL_SECONDS = 0.05  # arq starts at most max_jobs jobs per poll: keep it short


@dataclass(frozen=True)
class WorkerWiring:
    """What the composition root hands the worker (``citizen_api.cli.serve.worker_wiring``): the
    model modules to open, the periodic jobs to run as cron jobs, and how to open the clients
    those jobs need — ``open_state(settings, redis)`` on arq's own Redis connection."""

    model_modules: Sequence[str]
    periodic_jobs: Sequence[PeriodicJob]
    open_state: Callable[[Settings, Any], AbstractAsyncContextManager[AppState]]


async def send_notification(ctx: dict[str, Any], row_id: int) -> str:
    """The arq job: reload the row and send it if it is still due (idempotent)."""
    try:
        return await dispatcher.process(int(row_id), ctx["runtime"])
    except Exception:
        # never fail the job: arq would keep a failure result under this job id and refuse to
        # queue the row again; the row itself is retried by the sweep once its lease runs out
        log.exception("send job crashed", id=row_id)
        return "error"


def in_progress_seconds(settings) -> float:
    """How long arq's "in progress" mark outlives a worker that died holding a job.

    arq sets it to the longest job timeout + 10 s, and the cron jobs' default timeout is 300 s:
    a SIGKILLed worker's send jobs (and their rows, which the sweep cannot queue again while the
    job exists) would then wait 310 s instead of their lease. Sized for the send job instead;
    longer periodic jobs keep their mark alive with :func:`_keep_in_progress`. The mark is not
    what stops a double send (the row's claim is), so a short margin is safe."""
    timeout = settings.notify_job_timeout_seconds
    return timeout + min(10.0, max(1.0, timeout))


@contextlib.asynccontextmanager
async def _keep_in_progress(ctx: dict[str, Any]):
    """Refresh this job's in-progress mark while it runs, so no other worker starts it again."""
    key = in_progress_key_prefix + str(ctx.get("job_id", ""))
    seconds = in_progress_seconds(ctx["settings"])

    async def beat() -> None:
        while True:
            await asyncio.sleep(seconds / 3)
            with contextlib.suppress(RedisError, OSError):
                await ctx["redis"].pexpire(key, int(seconds * 1000))

    task = asyncio.create_task(beat(), name="in-progress-heartbeat")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _periodic(job: PeriodicJob):
    async def run(ctx: dict[str, Any]) -> int | None:
        async with _keep_in_progress(ctx):
            return await periodic.run_job(job, ctx["state"])

    run.__qualname__ = run.__name__ = f"periodic_{job.name}"
    return run


async def _sweep_loop(ctx: dict[str, Any]) -> None:
    settings = ctx["settings"]
    while True:
        try:
            await enqueue_due(ctx["redis"], settings.notify_queue_name)
        except asyncio.CancelledError:
            raise
        except (RedisError, OSError) as exc:
            log.warning("sweep could not reach Redis", error=type(exc).__name__)
        except Exception:
            log.exception("sweep failed")
        await asyncio.sleep(settings.notify_poll_seconds)


async def _startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    wiring: WorkerWiring = ctx["wiring"]
    if ctx["init_database"]:
        pool = max(5, settings.notify_concurrency + 2)
        await init_db(settings.database_url, wiring.model_modules, max_pool=pool)
    stack = contextlib.AsyncExitStack()
    # the clients the jobs need (http, WeChat, storage, kuaidi100), on arq's Redis connection
    state = await stack.enter_async_context(wiring.open_state(settings, ctx["redis"]))
    ctx.update(stack=stack, state=state, runtime=dispatcher.Runtime.for_state(state))
    if ctx["sweep"]:
        ctx["sweep_task"] = asyncio.create_task(_sweep_loop(ctx), name="outbox-sweep")
    log.info("worker started", queue=settings.notify_queue_name, burst=ctx["burst"])


async def _shutdown(ctx: dict[str, Any]) -> None:
    task = ctx.get("sweep_task")
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if "stack" in ctx:
        await ctx["stack"].aclose()
    if ctx["init_database"]:
        await close_db()


def worker_settings(
    settings: Settings,
    wiring: WorkerWiring,
    *,
    burst: bool = False,
    cron_jobs: bool = True,
    sweep: bool = True,
    init_database: bool = True,
) -> type:
    """The arq ``WorkerSettings`` class of ``onetrip worker`` for ``settings`` (arq reads its
    attributes as ``Worker`` arguments). Tests turn off the cron jobs (a burst worker with cron
    jobs never exits), the sweep and the database start-up (their app opened it)."""
    send = func(
        send_notification,
        name=SEND_JOB,
        keep_result=0,  # a finished job frees its id, so the row can be queued again for a retry
        timeout=settings.notify_job_timeout_seconds,
        max_tries=1000,  # our own attempts counter decides when a row is dead
    )
    cron_entries = [
        cron(_periodic(job), name=f"periodic:{job.name}", **periodic.cron_fields(job.interval_seconds))
        for job in (wiring.periodic_jobs if cron_jobs else ())
    ]

    run_in_burst = burst

    class WorkerSettings:
        functions = [send]
        cron_jobs = cron_entries
        queue_name = settings.notify_queue_name
        redis_settings = RedisSettings.from_dsn(settings.redis_url) if settings.redis_url else None
        on_startup = _startup
        on_shutdown = _shutdown
        max_jobs = max(1, settings.notify_concurrency)
        keep_result = 0
        poll_delay = WORKER_POLL_SECONDS
        log_results = False
        burst = run_in_burst
        ctx = {
            "settings": settings,
            "wiring": wiring,
            "burst": run_in_burst,
            "sweep": sweep,
            "init_database": init_database,
        }

    return WorkerSettings


def build_worker(
    settings: Settings, wiring: WorkerWiring, *, redis_pool=None, handle_signals: bool = True, **options: Any
) -> Worker:
    """The worker of :func:`worker_settings` (``options`` go there); ``redis_pool``: an open
    ArqRedis to use instead of connecting to ``settings.redis_url``."""
    overrides: dict[str, Any] = {"handle_signals": handle_signals}
    if redis_pool is not None:
        overrides["redis_pool"] = redis_pool
    worker = create_worker(worker_settings(settings, wiring, **options), **overrides)
    worker.in_progress_timeout_s = in_progress_seconds(settings)  # see in_progress_seconds
    return worker


def run_worker(settings, wiring: WorkerWiring) -> None:
    """Entry of ``onetrip worker`` (runs until SIGINT/SIGTERM)."""
    from citizen_api.logging_setup import configure_logging

    configure_logging(json_logs=settings.log_json)
    logging.getLogger("arq").setLevel(logging.WARNING)  # arq logs every job start and end at INFO
    if not settings.redis_url:
        raise SystemExit(
            "ONETRIP_REDIS_URL is not set: without Redis, notifications and periodic jobs run "
            "inside `onetrip serve` (no worker needed)"
        )
    settings.check_production()
    asyncio.set_event_loop(asyncio.new_event_loop())
    # arq gives up after a few connection retries and its poll loop dies with Redis; the outbox
    # keeps every message meanwhile. Rather than exit (and rely on systemd's restart), wait and
    # start afresh in this same process: exec leaves no half-closed pools or stray tasks behind.
    try:
        build_worker(settings, wiring).run()
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable, worker restarts itself", error=type(exc).__name__, retry_in=2)
        time.sleep(2)
        os.execv(sys.executable, [sys.executable, *sys.argv])
