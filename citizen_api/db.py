"""Tortoise ORM configuration, shared by the app, the worker, the CLI and the migrations, and
the unit of work (:func:`atomic`) every write runs in.

The model modules are given by the caller (the registry, ``citizen_api.domains``): this core
module knows no domain. Tortoise 1.x keeps its context per task; the API's lifespan runs in
another task than the requests, so the app initialises with the global fallback enabled (one
context per process).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import structlog
from tortoise import Tortoise
from tortoise.transactions import in_transaction

if TYPE_CHECKING:
    from citizen_api.state import AppState

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


def tortoise_config(database_url: str, models: Sequence[str], *, max_pool: int = 20) -> dict[str, Any]:
    """``models``: the dotted names of every models module (``citizen_api.domains.MODEL_MODULES``)."""
    return {
        "connections": {"default": _connection(database_url, max_pool)},
        "apps": {
            "models": {
                "models": list(models),
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
        from tortoise.backends.base.config_generator import expand_db_url

        query = parse_qs(parts.query)
        if "maxsize" not in query:
            url += ("&" if parts.query else "?") + f"maxsize={max_pool}&minsize=1"
        config = expand_db_url(url.replace("postgresql://", "postgres://", 1))
        if config["engine"] == "tortoise.backends.asyncpg":
            config["credentials"]["connection_class"] = _pooled_connection_class()
        return config
    return url


@functools.cache
def _pooled_connection_class() -> type:
    """asyncpg runs ``RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()`` each time a
    connection goes back to its pool — a round trip after every query Tortoise runs outside a
    transaction (5 % of the inbox's server time, py-spy). Nothing here sets session state, listens
    or takes session advisory locks, so the query is skipped; asyncpg still rolls back a transaction
    left open and drops listeners before reuse (``Connection._reset``)."""
    import asyncpg

    class PooledConnection(asyncpg.Connection):
        def get_reset_query(self) -> str:
            return ""

    return PooledConnection


async def init_db(
    database_url: str, models: Sequence[str], *, global_fallback: bool = True, max_pool: int = 20
) -> None:
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
        config=tortoise_config(database_url, models, max_pool=max_pool),
        _enable_global_fallback=global_fallback,
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


async def pending_migrations(models: Sequence[str]) -> tuple[list[str], int]:
    """(migrations not applied yet, migrations applied) on the open default connection."""
    from tortoise import connections
    from tortoise.migrations.executor import MigrationExecutor

    apps = tortoise_config("sqlite://:memory:", models)["apps"]
    executor = MigrationExecutor(connections.get("default"), apps)
    plan = await executor.plan()
    applied = await executor.recorder.applied_migrations()
    return [f"{step.migration.app_label}.{step.migration.name}" for step in plan], len(applied)


async def ensure_migrated(database_url: str, models: Sequence[str]) -> None:
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
    pending, applied = await pending_migrations(models)
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


# -- the unit of work ---------------------------------------------------------------------------------
# The only place that opens Tortoise transactions (tests/test_house_rules.py checks it). Requests run
# in one (citizen_api.http.endpoint), jobs through ``JobContext.atomic()``, the CLI and seeds directly.

AfterCommit = Callable[[], Awaitable[None] | None]

_unit: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar(
    "onetrip_unit_of_work", default=None
)
# The AppState of the request or job running in this task (set by the endpoint wrapper and the job
# runner), for units opened without one (a service's own retried transaction) and writes outside any.
_state: contextvars.ContextVar[AppState | None] = contextvars.ContextVar("onetrip_bound_state", default=None)


class UnitOfWork:
    """One database transaction and what must happen only once it has committed (wake the outbox
    dispatcher, refresh the search index …). A nested :func:`atomic` is a savepoint of the same
    unit: its callbacks join the outer unit's list when the savepoint is released, and are dropped
    with it when it rolls back."""

    __slots__ = ("_callbacks", "_keys", "parent", "state")

    def __init__(self, state: AppState | None, parent: UnitOfWork | None = None) -> None:
        self.state = state
        self.parent = parent
        self._callbacks: list[AfterCommit] = []
        self._keys: set[str] = set()

    def after_commit(self, callback: AfterCommit, *, key: str | None = None) -> None:
        """Run ``callback`` after the outermost transaction commits (never if it rolls back). With
        ``key``, a second callback under the same key in this unit is ignored (one wake-up per
        commit, however many rows were written)."""
        if key is not None:
            if any(key in unit._keys for unit in self._chain()):
                return
            self._keys.add(key)
        self._callbacks.append(callback)

    def _chain(self) -> Iterator[UnitOfWork]:
        unit: UnitOfWork | None = self
        while unit is not None:
            yield unit
            unit = unit.parent

    def _join(self, child: UnitOfWork) -> None:
        self._callbacks += child._callbacks
        self._keys |= child._keys

    async def _committed(self) -> None:
        for callback in self._callbacks:
            try:
                outcome = callback()
                if outcome is not None:
                    await outcome
            except Exception:
                # the data is committed: the answer stays a success; later callbacks still run
                log.exception("after-commit callback failed", callback=getattr(callback, "__qualname__", "?"))


@asynccontextmanager
async def atomic(state: AppState | None = None) -> AsyncIterator[UnitOfWork]:
    """``async with atomic(state) as unit:`` — one transaction; ``unit.after_commit(cb)`` runs ``cb``
    after it commits, in registration order. Inside another unit it is a savepoint that joins it.
    ``state`` (whose dispatcher the outbox wakes) defaults to the outer unit's or the bound one."""
    outer = _unit.get()
    if state is None:
        state = outer.state if outer is not None else _state.get()
    unit = UnitOfWork(state, outer)
    token = _unit.set(unit)
    try:
        async with in_transaction():
            yield unit
    finally:
        _unit.reset(token)
    if outer is not None:
        outer._join(unit)
    else:
        await unit._committed()


def current_unit() -> UnitOfWork | None:
    """The unit of work this code runs in, or None (autocommit)."""
    return _unit.get()


def current_state() -> AppState | None:
    """The AppState of the current unit of work, else of the request or job this task serves."""
    unit = _unit.get()
    if unit is not None and unit.state is not None:
        return unit.state
    return _state.get()


@contextmanager
def bound_state(state: AppState | None) -> Iterator[None]:
    """Within this block, units opened without a state (and writes outside any) belong to ``state``."""
    token = _state.set(state)
    try:
        yield
    finally:
        _state.reset(token)


async def after_commit(callback: AfterCommit, *, key: str | None = None) -> None:
    """``callback`` after the current unit of work commits; outside any unit the write it follows
    has already been committed (autocommit), so it runs now."""
    unit = _unit.get()
    if unit is not None:
        unit.after_commit(callback, key=key)
        return
    outcome = callback()
    if outcome is not None:
        await outcome
