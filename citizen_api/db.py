"""Tortoise ORM configuration, shared by the app, the worker, the CLI and the migrations.

Tortoise 1.x keeps its context per task; the API's lifespan runs in another task than the
requests, so the app initialises with the global fallback enabled (one context per process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import structlog
from tortoise import Tortoise

from citizen_api.domains import module_names

# Every domain's ``models`` module (see citizen_api.domains).
MODEL_MODULES: list[str] = module_names("models")

MIGRATIONS_MODULE = "citizen_api.migrations"


log = structlog.get_logger()


def _drop_sqlite_ddl_comments() -> None:
    """Tortoise's SQLite migration runner splits DDL on ";", so a model docstring containing one
    (it becomes a table comment) breaks the migration. SQLite keeps no comments anyway: omit them."""
    from tortoise.migrations.schema_editor import sqlite

    for name in dir(sqlite):
        editor = getattr(sqlite, name)
        if isinstance(editor, type) and hasattr(editor, "_get_table_comment_sql"):
            editor._get_table_comment_sql = lambda self, table, comment: ""
            editor._get_column_comment_sql = lambda self, table, column, comment: ""


_drop_sqlite_ddl_comments()


def tortoise_config(database_url: str, *, max_pool: int = 20) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(database_url, max_pool)},
        "apps": {
            "models": {
                "models": list(MODEL_MODULES),
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(url: str, max_pool: int) -> str | dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite://") :].split("?", 1)[0]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        query = parse_qs(parts.query)
        # several processes may share the file (serve --workers): wait for the lock, don't fail
        if "busy_timeout" not in query:
            url += ("&" if parts.query else "?") + "busy_timeout=5000"
        return url
    if parts.scheme in ("postgres", "postgresql", "asyncpg"):
        query = parse_qs(parts.query)
        if "maxsize" not in query:
            url += ("&" if parts.query else "?") + f"maxsize={max_pool}&minsize=1"
        return url.replace("postgresql://", "postgres://", 1)
    return url


async def init_db(database_url: str, *, global_fallback: bool = True, max_pool: int = 20) -> None:
    # Tortoise caches each model's INSERT/UPDATE SQL keyed by connection name, not dialect: a
    # process that opens SQLite and then PostgreSQL (the test suite) would reuse "?" placeholders.
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()
    if global_fallback:
        from tortoise import context

        stale = context._global_context
        if stale is not None:
            # a start-up that died half-way (a worker restart, a timed-out test) left its context:
            # one process serves one database, so close it rather than refuse to start
            log.warning("closing a database context left by an earlier start-up")
            await stale.close_connections()
    await Tortoise.init(
        config=tortoise_config(database_url, max_pool=max_pool), _enable_global_fallback=global_fallback
    )


class DatabaseNotReady(RuntimeError):
    """The server cannot start on this database; ``str(exc)`` is the one line to print."""


class DatabaseNotMigrated(DatabaseNotReady):
    """The database lacks migrations this code needs: ``onetrip migrate`` fixes it."""


class DatabaseUnreachable(DatabaseNotReady):
    """The database cannot be opened at all (server down, no such database, bad URL)."""


def _where(database_url: str) -> str:
    # no credentials in what is printed
    return database_url.split("@")[-1].split("?")[0]


async def pending_migrations() -> tuple[list[str], int]:
    """(migrations not applied yet, migrations applied) on the open default connection."""
    from tortoise import connections
    from tortoise.migrations.executor import MigrationExecutor

    apps = tortoise_config("sqlite://:memory:")["apps"]
    executor = MigrationExecutor(connections.get("default"), apps)
    plan = await executor.plan()
    applied = await executor.recorder.applied_migrations()
    return [f"{step.migration.app_label}.{step.migration.name}" for step in plan], len(applied)


async def ensure_migrated(database_url: str) -> None:
    """Refuse to start on a database that ``onetrip migrate`` has not brought to head."""
    from tortoise import connections

    where = _where(database_url)
    try:
        # the migration recorder reads an unreachable database as an empty one: ask first
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise DatabaseUnreachable(
            f"cannot open database {where} ({reason}): check ONETRIP_DATABASE_URL and the database server"
        ) from exc
    pending, applied = await pending_migrations()
    if not pending:
        return
    if not applied:
        raise DatabaseNotMigrated(
            f"database {where} is not migrated (no tables yet): run `onetrip migrate` first"
        )
    raise DatabaseNotMigrated(
        f"database {where} is not migrated to this version ({len(pending)} migration(s) pending, "
        f"first {pending[0]}): run `onetrip migrate`"
    )


async def close_db() -> None:
    await Tortoise.close_connections()


async def ping_db() -> bool:
    from tortoise import connections

    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


def __getattr__(name: str) -> Any:
    # ``citizen_api.db.TORTOISE_ORM`` for Tortoise's own CLI (makemigrations), from the environment
    if name == "TORTOISE_ORM":
        from citizen_api.settings import Settings

        return tortoise_config(Settings().database_url, max_pool=2)
    raise AttributeError(name)
