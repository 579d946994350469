"""Migrated template databases, made once per test session and reset for every test."""

from __future__ import annotations

import asyncio
import atexit
import io
import os
import shutil
from collections.abc import Awaitable, Callable
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


_clear_sql: dict[str, str] = {}


async def _public_tables(conn) -> list[str]:
    """The application's tables (not Tortoise's migration records)."""
    rows = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'tortoise%'"
    )
    return [r["tablename"] for r in rows]


async def truncate_pg(database: str) -> None:
    """Empty every table but the migration records and restart every sequence.

    DELETE with foreign-key triggers off (session_replication_role), in one round trip: 0.03 s,
    where TRUNCATE … RESTART IDENTITY CASCADE of the same ~50 small tables took 0.35 s per test
    (it makes new files for every table). The statement is built once per database and process:
    the tables only change with a migration, which makes a new session."""
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=database)
    try:
        sql = _clear_sql.get(database)
        if sql is None:
            tables = await _public_tables(conn)
            sequences = await conn.fetch(
                "SELECT sequencename FROM pg_sequences"
                " WHERE schemaname='public' AND sequencename NOT LIKE 'tortoise%'"
            )
            sql = "".join(f'DELETE FROM "{name}";' for name in tables)
            sql += "".join(f"SELECT setval('\"{s['sequencename']}\"', 1, false);" for s in sequences)
            sql = f"SET session_replication_role = replica;{sql}RESET session_replication_role;"
            _clear_sql[database] = sql
        await conn.execute(sql)
    finally:
        await conn.close()


# the rows a fixture wrote once (the demo catalog), kept per process as COPY binary data and
# written back into the emptied database: 0.05 s instead of seeding again through the ORM
_snapshots: dict[tuple[str, str], tuple[list[tuple[str, bytes]], list[tuple[str, int]]]] = {}


async def _dump(database: str) -> tuple[list[tuple[str, bytes]], list[tuple[str, int]]]:
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=database)
    try:
        rows: list[tuple[str, bytes]] = []
        for name in await _public_tables(conn):
            if await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{name}")'):
                buffer = io.BytesIO()
                await conn.copy_from_table(name, output=buffer, format="binary")
                rows.append((name, buffer.getvalue()))
        sequences = [
            (s["sequencename"], s["last_value"])
            for s in await conn.fetch(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname='public' AND last_value IS NOT NULL"
            )
        ]
        return rows, sequences
    finally:
        await conn.close()


async def _load(database: str, rows, sequences) -> None:
    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=database)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            for name, data in rows:
                await conn.copy_to_table(name, source=io.BytesIO(data), format="binary")
            for name, value in sequences:
                await conn.execute("SELECT setval($1, $2)", f'"{name}"', value)
    finally:
        await conn.close()


def pg_with(key: str, seed: Callable[[str], Awaitable[None]]) -> str:
    """This worker's emptied test database holding what ``seed(url)`` writes, seeded through the
    code once per process and copied back in for every later test."""
    url = reset_pg()
    name = pg_database_name()
    snapshot = _snapshots.get((name, key))
    if snapshot is None:
        asyncio.run(seed(url))
        _snapshots[(name, key)] = asyncio.run(_dump(name))
    else:
        asyncio.run(_load(name, *snapshot))
    return url
