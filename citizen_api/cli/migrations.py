"""``onetrip migrate`` and ``onetrip makemigrations`` on Tortoise's own migration engine."""

from __future__ import annotations

import asyncio

import typer

from citizen_api.db import tortoise_config
from citizen_api.registry_models import MODEL_MODULES
from citizen_api.settings import Settings


async def migrate_to_head(database_url: str, quiet: bool = False) -> None:
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api.migrate import migrate as migrate_api

    config = tortoise_config(database_url, MODEL_MODULES, max_pool=2)

    def progress(event: str, app_label: str, name: str) -> None:
        if not quiet and event == "apply_done":
            typer.echo(f"  applied {app_label}.{name}")

    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        await migrate_api(config=config, progress=progress)


def migrate() -> None:
    """Apply every migration (safe to run again)."""
    settings = Settings()
    asyncio.run(migrate_to_head(settings.database_url))
    typer.echo("database is at head")


def makemigrations(name: str = typer.Option("", help="name of the new migration")) -> None:
    """Write a migration for model changes (developers)."""
    from tortoise.cli import cli as tortoise_cli

    ctx = tortoise_cli.CLIContext(config="citizen_api.registry_models.TORTOISE_ORM", config_file=None)
    asyncio.run(tortoise_cli.makemigrations(ctx, (), False, name or None))
