"""Start-up: the outbox dispatcher (in-process, or the arq enqueuer when Redis is configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import structlog
from arq.connections import ArqRedis

from citizen_api.jobs import PeriodicJob
from citizen_api.state import AppState
from notifications.arq_queue import QueueDispatcher
from notifications.config import templates_for
from notifications.dispatcher import Runtime
from notifications.in_process import InProcessDispatcher

log = structlog.get_logger("onetrip.notifications")


def periodic_enabled(settings) -> bool:
    if settings.periodic_jobs_enabled is not None:
        return settings.periodic_jobs_enabled
    # test apps are many and short-lived: jobs there run only when a test asks for them
    return settings.env != "test"


@asynccontextmanager
async def lifespan(state: AppState, jobs: Sequence[PeriodicJob]) -> AsyncIterator[None]:
    """``jobs``: the registry's periodic jobs, run in this process when there is no worker (no Redis)."""
    settings = state.settings
    templates_for(settings)  # a broken ONETRIP_NOTIFY_TEMPLATES stops start-up, not the first send
    if state.redis is not None:
        # shares the app's connection pool; arq's queue is read by ``onetrip worker``
        queue = settings.notify_queue_name
        arq = ArqRedis(pool_or_conn=state.redis.connection_pool, default_queue_name=queue)
        dispatcher: InProcessDispatcher | QueueDispatcher = QueueDispatcher(arq, settings)
    else:
        periodic = jobs if periodic_enabled(settings) else ()
        dispatcher = InProcessDispatcher(Runtime.for_state(state), jobs=periodic, state=state)
    state.dispatcher = dispatcher
    dispatcher.start()
    dispatcher.kick()  # rows left due by the previous run
    log.info("outbox dispatcher started", mode="arq" if state.redis is not None else "in-process")
    try:
        yield
    finally:
        await dispatcher.stop()
        state.dispatcher = None
