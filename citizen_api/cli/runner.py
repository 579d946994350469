"""Running a coroutine with the database open, for CLI commands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from citizen_api.db import close_db, init_db
from citizen_api.settings import Settings

T = TypeVar("T")


def run_with_db(work: Callable[[Settings], Awaitable[T]], settings: Settings | None = None) -> T:
    settings = settings or Settings()

    async def _run() -> T:
        from citizen_api.registry_models import MODEL_MODULES  # the commands registry imports this module

        await init_db(settings.database_url, MODEL_MODULES, max_pool=5)
        try:
            return await work(settings)
        finally:
            await close_db()

    return asyncio.run(_run())
