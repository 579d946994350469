"""Checks before a long-running command starts: one line and a non-zero exit instead of a traceback."""

from __future__ import annotations

import asyncio

import typer

from citizen_api.db import DatabaseNotMigrated, DatabaseNotReady, ensure_migrated, tortoise_config
from citizen_api.registry_models import MODEL_MODULES
from citizen_api.settings import Settings

EXIT_NOT_READY = 1


async def _check(database_url: str) -> None:
    from tortoise.context import TortoiseContext

    # a context of its own: the server (same process with one worker) opens the global one later
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(database_url, MODEL_MODULES, max_pool=1))
        await ensure_migrated(database_url, MODEL_MODULES)


def require_database_ready(settings: Settings, *, refuse_unreachable: bool = True) -> None:
    """Exit with the reason in one line when the database is not migrated to head (or, unless
    ``refuse_unreachable`` is false, cannot be opened at all)."""
    try:
        asyncio.run(_check(settings.database_url))
    except DatabaseNotMigrated as exc:
        _refuse(exc)
    except DatabaseNotReady as exc:
        if refuse_unreachable:
            _refuse(exc)


def _refuse(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_NOT_READY)
