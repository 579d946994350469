"""With Redis: the API queues one arq job per due row, and ``onetrip worker`` sends it.

:class:`QueueDispatcher` is the API side: ``kick()`` (after a commit that wrote rows) runs a
coalesced pass of :func:`enqueue_due`, which queues each due row under job id ``notify:<row id>``
so a row is never queued twice. The worker sweeps the table itself too, so rows written while
Redis was down are still sent.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from arq.connections import ArqRedis
from arq.constants import job_key_prefix
from redis.exceptions import RedisError

from notifications import dispatcher

log = structlog.get_logger("onetrip.notifications")

SEND_JOB = "send_notification"


def job_id(row_id: int) -> str:
    return f"notify:{row_id}"


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
        self._stopping = False

    def kick(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="outbox-enqueuer")

    async def stop(self) -> None:
        if self._task is not None:
            # the flag as well as the cancel: a cancel landing inside enqueue_due may come back as a
            # RedisError/OSError from redis or asyncpg, which the loop logs and goes on from
            self._stopping = True
            self._wake.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def enqueue_due(self) -> int:
        return await enqueue_due(self.arq, self.settings.notify_queue_name)

    async def _loop(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            if self._stopping:
                return
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
