"""Start-up: forget any calendar cached against another database (tests open many)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.state import AppState
from citizen_api.workdays import cache


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    cache.reset()
    yield
    cache.reset()
