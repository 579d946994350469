"""Start-up: build the index before the first request, then keep it in step with the database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.catalog import service as catalog
from citizen_api.search.service import SearchService


@asynccontextmanager
async def lifespan(state) -> AsyncIterator[None]:
    service = SearchService(state.settings)
    await catalog.ensure_revision()
    await service.refresh(force=True)
    state.search_index = service
    watcher = asyncio.create_task(service.watch(), name="search-index-watch")
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
