"""Migrated template databases, made once per test session and reset for every test."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
from pathlib import Path

import asyncpg

from citizen_api.cli.migrations import migrate_to_head
from tests.services import PG_HOST, PG_PORT, PG_USER, pg_url, worker_id


def make_sqlite_template(directory: Path) -> Path:
    template = directory / "template.db"
    asyncio.run(migrate_to_head(f"sqlite://{template}", quiet=True))
    return template


def fresh_sqlite(template: Path, directory: Path) -> str:
    target = directory / "onetrip.db"
    shutil.copyfile(template, target)
    return f"sqlite://{target}"


def pg_database_name() -> str:
    # per process: several pytest runs (and xdist workers) on one machine never share a database
    return f"onetrip_test_{worker_id()}_{os.getpid()}"


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


_pg_ready: str | None = None


def reset_pg() -> str:
    """This worker's test database, migrated once per session and emptied for every test."""
    global _pg_ready
    name = pg_database_name()

    async def setup() -> None:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _admin(f'CREATE DATABASE "{name}"')
        await migrate_to_head(pg_url(name), quiet=True)

    if _pg_ready is None:
        asyncio.run(setup())
        _pg_ready = pg_url(name)
        atexit.register(lambda: asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))
    else:
        asyncio.run(truncate_pg(name))
    return _pg_ready


async def truncate_pg(database: str) -> None:
    """Empty every table but the migration records (faster than a new database per test)."""
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=database)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'tortoise%'"
        )
        names = ", ".join(f'"{t["tablename"]}"' for t in tables)
        if names:
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
