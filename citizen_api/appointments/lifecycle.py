"""Start-up: the hall broker (the TVs' live calls; one Redis subscription per API process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.appointments.broker import HallBroker
from citizen_api.state import AppState

BROKER_KEY = "appointments.hall_broker"


def broker_of(state: AppState) -> HallBroker:
    """The process's broker (a private one, without Redis, when the start-up did not run)."""
    broker = state.extras.get(BROKER_KEY)
    if broker is None:
        broker = state.extras[BROKER_KEY] = HallBroker(None)
    return broker


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    broker = HallBroker(state.redis)
    await broker.start()  # subscribed before the API answers: no call made after start-up is missed
    state.extras[BROKER_KEY] = broker
    try:
        yield
    finally:
        state.extras.pop(BROKER_KEY, None)
        await broker.stop()
