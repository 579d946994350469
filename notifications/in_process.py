"""Without Redis: the API process sends due rows itself and runs the periodic jobs.

:class:`InProcessDispatcher` is woken by ``kick()`` (after a commit that wrote rows) and every
``notify_poll_seconds``; with Redis, ``notifications.arq_queue.QueueDispatcher`` takes its place
and ``onetrip worker`` sends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import structlog

from citizen_api.jobs import PeriodicJob
from citizen_api.state import AppState
from notifications import dispatcher, periodic

log = structlog.get_logger("onetrip.notifications")


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
                await periodic.run_due(self.state, self.jobs)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("periodic jobs pass failed")
            await asyncio.sleep(max(1.0, self.settings.notify_poll_seconds))
