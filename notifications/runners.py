"""The two ways rows get sent; both expose ``kick()`` (called after a commit that wrote rows).

- :class:`InProcessDispatcher` (no Redis): a task in the API process sends due rows itself,
  woken by ``kick()`` and every ``notify_poll_seconds``, and runs the periodic jobs.
- :class:`QueueDispatcher` (Redis): ``kick()`` puts one arq job per due row on the queue, with
  job id ``notify:<row id>`` so a row is never queued twice; ``onetrip worker`` sends them and
  sweeps the table itself, so rows written while Redis was down are still sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import structlog
from arq.connections import ArqRedis
from arq.constants import job_key_prefix
from redis.exceptions import RedisError

from citizen_api.jobs import PeriodicJob
from citizen_api.state import AppState
from notifications import dispatcher, jobs

log = structlog.get_logger("onetrip.notifications")

SEND_JOB = "send_notification"


def job_id(row_id: int) -> str:
    return f"notify:{row_id}"


class InProcessDispatcher:
    """``jobs`` (with the ``state`` they run with): the periodic jobs this process runs, if any."""

    def __init__(
        self,
        runtime: dispatcher.Runtime,
        *,
        jobs: Sequence[PeriodicJob] = (),
        state: AppState | None = None,
    ) -> None:
        if jobs and state is None:
            raise ValueError("periodic jobs need the state they run with")
        self.runtime = runtime
        self.settings = runtime.settings
        self.jobs = list(jobs)
        self.state = state
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._sem = asyncio.Semaphore(max(1, self.settings.notify_concurrency))
        self._inflight: set[asyncio.Task] = set()

    def kick(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._send_loop(), name="outbox-dispatcher"))
        if self.jobs:
            self._tasks.append(asyncio.create_task(self._periodic_loop(), name="periodic-jobs"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # let messages already on their way finish and be marked (else they wait for the lease)
        if self._inflight:
            await asyncio.wait(self._inflight, timeout=self.settings.wechat_timeout_seconds + 1)

    async def drain(self) -> int:
        """Send every due row; returns how many were handled."""
        handled = 0
        while True:
            ids = await dispatcher.due_ids(limit=max(1, self.settings.notify_concurrency) * 4)
            if not ids:
                return handled
            results = await asyncio.gather(*(self._send(i) for i in ids))
            handled += sum(1 for r in results if r != "not-due")
            if not any(r != "not-due" for r in results):
                return handled  # all taken by another process

    async def _send(self, row_id: int) -> str:
        async with self._sem:
            task = asyncio.current_task()
            if task is not None:
                self._inflight.add(task)
            try:
                return await dispatcher.process(row_id, self.runtime)
            finally:
                if task is not None:
                    self._inflight.discard(task)

    async def _send_loop(self) -> None:
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox dispatcher pass failed")
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow the cancel of stop()
            # when it races the wake-up, leaving the task (and shutdown) hanging
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.notify_poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

    async def _periodic_loop(self) -> None:
        while True:
            try:
                assert self.state is not None
                await jobs.run_due(self.state, self.jobs)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("periodic jobs pass failed")
            await asyncio.sleep(max(1.0, self.settings.notify_poll_seconds))


async def enqueue_due(arq: ArqRedis, queue_name: str, limit: int = 1000) -> int:
    """Queue an arq job for every due row not already queued; returns how many were queued."""
    ids = await dispatcher.due_ids(limit)
    if not ids:
        return 0
    # one round trip to skip the rows already queued, then WATCH-guarded enqueues for the rest
    async with arq.pipeline(transaction=False) as pipe:
        for row_id in ids:
            pipe.exists(job_key_prefix + job_id(row_id))
        queued = await pipe.execute()
    queued_now = 0
    for row_id, exists in zip(ids, queued, strict=True):
        if exists:
            continue
        job = await arq.enqueue_job(SEND_JOB, row_id, _job_id=job_id(row_id), _queue_name=queue_name)
        queued_now += job is not None
    return queued_now


class QueueDispatcher:
    """API side of Redis mode: ``kick()`` → a coalesced pass of :func:`enqueue_due`."""

    def __init__(self, arq: ArqRedis, settings) -> None:
        self.arq = arq
        self.settings = settings
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def kick(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="outbox-enqueuer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def enqueue_due(self) -> int:
        return await enqueue_due(self.arq, self.settings.notify_queue_name)

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()  # kicks during this pass trigger exactly one more pass
            try:
                await self.enqueue_due()
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                # the worker's own sweep sends these rows once Redis is back
                log.warning("could not queue notifications", error=type(exc).__name__)
            except Exception:
                log.exception("queueing notifications failed")
