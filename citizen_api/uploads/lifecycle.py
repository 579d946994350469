"""Start-up: open the file storage (local directory by default) for requests and jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.state import AppState
from citizen_api.uploads.storage import storage_for


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    state.storage = storage_for(state.settings)
    try:
        yield
    finally:
        state.storage = None
