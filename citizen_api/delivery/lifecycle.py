"""Start-up: the kuaidi100 client on the shared aiohttp session (``state.kuaidi100``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.delivery import case_hooks, runtime
from citizen_api.delivery.kuaidi100 import Kuaidi100Client


@asynccontextmanager
async def lifespan(state) -> AsyncIterator[None]:
    state.kuaidi100 = Kuaidi100Client(state.http, state.settings)
    case_hooks.register()
    runtime.use_state(state)  # for the case workflow's deliver hook and the periodic job
    try:
        yield
    finally:
        if runtime.current_state() is state:
            runtime.use_state(None)
