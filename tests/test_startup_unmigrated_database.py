"""A server started on a database that was never migrated says so in one line and exits non-zero.

Before: ``onetrip serve`` printed Starlette's traceback ending in "no such table: catalog_revision".
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from asgi_lifespan import LifespanManager

from citizen_api.app import create_app
from citizen_api.cli.migrations import migrate_to_head
from citizen_api.db import DatabaseNotMigrated, tortoise_config
from citizen_api.domains import MODEL_MODULES
from tests.conftest import make_settings
from tests.services import PG_HOST, PG_PORT, PG_USER, REDIS_HOST, REDIS_PORT, pg_url, redis_url, require

ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        ONETRIP_DATABASE_URL=database_url,
        ONETRIP_VAR_DIR=str(tmp_path / "var"),
        ONETRIP_STORAGE_DIR=str(tmp_path / "uploads"),
        ONETRIP_ENV="development",
        **extra,
    )


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # a server that does start would run until the timeout: that fails the test too
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=90)


def _lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _empty_sqlite(tmp_path: Path) -> str:
    path = tmp_path / "never-migrated.db"
    path.touch()  # the file exists, as after a deploy that forgot the migration step
    return f"sqlite://{path}"


def _assert_one_line_not_migrated(result: subprocess.CompletedProcess) -> None:
    lines = _lines(result)
    assert result.returncode != 0, lines
    assert len(lines) == 1, lines
    assert "not migrated" in lines[0] and "onetrip migrate" in lines[0], lines
    assert "Traceback" not in result.stderr


def test_serve_on_a_never_migrated_sqlite_file_says_run_migrate(tmp_path):
    result = _run([ONETRIP, "serve", "--port", str(_free_port())], _env(tmp_path, _empty_sqlite(tmp_path)))
    _assert_one_line_not_migrated(result)


@pytest.fixture
def empty_pg_database():
    require("PostgreSQL", PG_HOST, PG_PORT)
    name = f"onetrip_unmigrated_{os.getpid()}"

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield pg_url(name)
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_serve_on_an_empty_postgres_database_says_run_migrate(tmp_path, empty_pg_database):
    result = _run([ONETRIP, "serve", "--port", str(_free_port())], _env(tmp_path, empty_pg_database))
    _assert_one_line_not_migrated(result)


def test_serve_on_an_unreachable_database_says_so_in_one_line(tmp_path):
    # a port held bound but never listening: connections are refused, and no other test's server
    # can take it meanwhile (a port found free and closed again could be)
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"postgres://postgres@127.0.0.1:{held.getsockname()[1]}/onetrip"
        result = _run([ONETRIP, "serve", "--port", str(_free_port())], _env(tmp_path, url))
    lines = _lines(result)
    assert result.returncode != 0 and len(lines) == 1, lines
    assert "cannot open database" in lines[0] and "not migrated" not in lines[0], lines


def test_uvicorn_on_the_app_factory_prints_the_reason_not_a_traceback(tmp_path):
    """The app's own start-up (what ``uvicorn --factory citizen_api.app:asgi_app`` runs)."""
    command = [sys.executable, "-m", "uvicorn", "citizen_api.app:asgi_app", "--factory"]
    command += ["--port", str(_free_port()), "--log-level", "warning"]
    result = _run(command, _env(tmp_path, _empty_sqlite(tmp_path), ONETRIP_LOG_JSON="true"))
    lines = _lines(result)
    assert result.returncode != 0, lines
    assert "Traceback" not in result.stderr and "catalog_revision" not in result.stderr, lines
    reasons = [line for line in lines if "not migrated" in line]
    assert len(reasons) == 1 and "onetrip migrate" in reasons[0], lines


def test_worker_on_a_never_migrated_database_says_run_migrate(tmp_path):
    require("Redis", REDIS_HOST, REDIS_PORT)
    env = _env(tmp_path, _empty_sqlite(tmp_path), ONETRIP_REDIS_URL=redis_url())
    _assert_one_line_not_migrated(_run([ONETRIP, "worker"], env))


async def test_create_app_start_up_refuses_with_the_fix_in_its_message(tmp_path):
    settings = make_settings(tmp_path, _empty_sqlite(tmp_path), "http://127.0.0.1:9")
    with pytest.raises(DatabaseNotMigrated) as refused:
        async with LifespanManager(create_app(settings), startup_timeout=60):
            pass
    message = str(refused.value)
    assert "\n" not in message and "not migrated" in message and "onetrip migrate" in message


async def test_a_database_behind_this_version_is_refused_until_migrated(tmp_path):
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api.migrate import migrate as migrate_api

    url = f"sqlite://{tmp_path / 'behind.db'}"
    config = tortoise_config(url, MODEL_MODULES, max_pool=2)
    async with TortoiseContext() as ctx:  # only the first migration: an older release's database
        await ctx.init(config=config)
        await migrate_api(config=config, target="models.0001_initial")
    settings = make_settings(tmp_path, url, "http://127.0.0.1:9")
    with pytest.raises(DatabaseNotMigrated) as refused:
        async with LifespanManager(create_app(settings), startup_timeout=60):
            pass
    assert "pending" in str(refused.value) and "onetrip migrate" in str(refused.value)

    await migrate_to_head(url, quiet=True)  # what the message says to do
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30):
        pass
