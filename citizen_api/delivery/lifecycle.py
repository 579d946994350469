"""Start-up: the kuaidi100 client on the shared aiohttp session (``state.kuaidi100``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.delivery.kuaidi100 import Kuaidi100Client
from citizen_api.state import AppState


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    state.kuaidi100 = Kuaidi100Client(state.http, state.settings)
    try:
        yield
    finally:
        state.kuaidi100 = None
