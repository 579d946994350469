"""Periodic jobs: what a job is given (:class:`JobContext`) and how it is declared (:class:`PeriodicJob`).

A job is ``async def run_x(ctx: JobContext) -> int`` (the count is logged). The registry
(``citizen_api.domains.PERIODIC_JOBS``) lists every job as a ``PeriodicJob``; the in-process loop
of ``onetrip serve`` and the arq cron jobs of ``onetrip worker`` run that same list, each run
claimed by one process per interval. Jobs must be idempotent (outbox ``dedupe_key`` …): a crash or
two processes may still run one twice.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from citizen_api import clock, db

if TYPE_CHECKING:
    from citizen_api.settings import Settings
    from citizen_api.state import AppState

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class JobContext:
    """One run of a periodic job: the time it runs for, the settings, the process's clients."""

    now: datetime  # aware; the clock of the run (tests move it)
    settings: Settings
    state: AppState  # http, redis, wechat, storage, kuaidi100 … (the worker opens the same clients)

    @classmethod
    def for_state(cls, state: AppState, now: datetime | None = None) -> JobContext:
        return cls(now=now or clock.now(), settings=state.settings, state=state)

    def atomic(self) -> AbstractAsyncContextManager[db.UnitOfWork]:
        """A unit of work of this job: outbox rows written in it wake the dispatcher after commit."""
        return db.atomic(self.state)


JobFunction = Callable[[JobContext], Awaitable[int]]


@dataclass(frozen=True)
class PeriodicJob:
    """A job run every ``interval_seconds`` (an arq cron rounds it to what a clock face allows)."""

    name: str  # the PeriodicRun row and the arq cron name (``periodic:<name>``)
    interval_seconds: int
    run: JobFunction

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"periodic job name {self.name!r}: lower-case letters, digits and _")
        if self.interval_seconds < 1:
            raise ValueError(f"periodic job {self.name}: interval_seconds must be at least 1")
        if not callable(self.run):
            raise TypeError(f"periodic job {self.name}: run must be an async function of a JobContext")
