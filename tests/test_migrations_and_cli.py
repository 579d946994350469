"""Migrations to head on empty SQLite and PostgreSQL databases; the onetrip command line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from citizen_api.cli.migrations import migrate_to_head
from citizen_api.db import close_db, init_db
from citizen_api.domains import MODEL_MODULES
from tests.services import PG_HOST, PG_PORT, PG_USER, pg_url, require

ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")

EXPECTED_TABLES = {
    "users",
    "refresh_tokens",
    "audit_log",
    "notifications",
    "departments",
    "service_items",
    "applications",
}


def _sqlite_tables(path: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_migrate_empty_sqlite_to_head_twice(tmp_path):
    db = tmp_path / "fresh.db"
    asyncio.run(migrate_to_head(f"sqlite://{db}", quiet=True))
    assert _sqlite_tables(db) >= EXPECTED_TABLES
    asyncio.run(migrate_to_head(f"sqlite://{db}", quiet=True))  # at head: nothing to do, no error


def test_migrate_empty_postgres_to_head():
    require("PostgreSQL", PG_HOST, PG_PORT)
    name = f"onetrip_migrate_{os.getpid()}"

    async def run() -> set[str]:
        admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            await migrate_to_head(pg_url(name), quiet=True)
            await migrate_to_head(pg_url(name), quiet=True)
            conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=name)
            rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            await conn.close()
            return {r["tablename"] for r in rows}
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()

    assert asyncio.run(run()) >= EXPECTED_TABLES


def test_models_match_the_migrations(tmp_path):
    """A model change without `make migrations` fails here, not in production."""
    from tortoise.migrations.autodetector import MigrationAutodetector

    from citizen_api.db import tortoise_config

    async def changes() -> list:
        from tortoise.context import TortoiseContext

        config = tortoise_config(f"sqlite://{tmp_path / 'x.db'}", MODEL_MODULES)
        async with TortoiseContext() as ctx:
            await ctx.init(config=config)
            detector = MigrationAutodetector(ctx.apps, config["apps"])
            return await detector.changes()

    pending = asyncio.run(changes())
    assert pending == [], "models changed without a migration: run `make migrations`"


def _cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [ONETRIP, *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_cli_migrate_seed_and_staff_add(tmp_path):
    env = dict(
        os.environ,
        ONETRIP_DATABASE_URL=f"sqlite://{tmp_path / 'cli.db'}",
        ONETRIP_VAR_DIR=str(tmp_path),
        ONETRIP_ENV="development",
    )
    assert _cli(env, "migrate").returncode == 0
    seeded = _cli(env, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "chuangkou" in seeded.stdout
    # AB角 to try at once: the two demo clerks of 公安局 back each other up, at windows of their own
    assert "chuangkou2 / chuangkou2-demo-2026" in seeded.stdout
    assert "staffing: 2 demo backups named" in seeded.stdout
    assert "2 demo clerks at a window" in seeded.stdout
    again = _cli(env, "seed-demo")  # idempotent
    assert again.returncode == 0 and "0 created" in again.stdout
    assert "staffing: 0 demo backups named" in again.stdout

    added = _cli(
        env, "staff", "add", "zhang", "--role", "approver", "--department", "GA", stdin="a-long-password\n"
    )
    assert added.returncode == 0, added.stderr
    duplicate = _cli(
        env, "staff", "add", "zhang", "--role", "approver", "--department", "GA", stdin="a-long-password\n"
    )
    assert duplicate.returncode == 2 and "exists" in duplicate.stderr

    async def check() -> str:
        await init_db(f"sqlite://{tmp_path / 'cli.db'}", MODEL_MODULES)
        try:
            from citizen_api.appointments.models import StaffWindow
            from citizen_api.security.passwords import verify_password
            from citizen_api.staffing.models import Backup
            from citizen_api.users.models import User

            user = await User.get(username="zhang")
            assert verify_password(user.password_hash, "a-long-password")
            a, b = await User.get(username="chuangkou"), await User.get(username="chuangkou2")
            assert (await Backup.get(user_id=a.id)).backup_user_id == b.id
            assert (await Backup.get(user_id=b.id)).backup_user_id == a.id
            desks = {d.user_id: d.window_id for d in await StaffWindow.filter(user_id__in=[a.id, b.id])}
            assert len(set(desks.values())) == 2  # each at a window of their own
            return user.role
        finally:
            await close_db()

    assert asyncio.run(check()) == "approver"
    # dev secrets were generated once into var/
    assert (tmp_path / "jwt_secret").exists() and (tmp_path / "data_key").exists()


def test_production_refuses_dev_secrets(tmp_path):
    env = dict(
        os.environ,
        ONETRIP_ENV="production",
        ONETRIP_VAR_DIR=str(tmp_path),
        ONETRIP_DATABASE_URL=f"sqlite://{tmp_path / 'p.db'}",
    )
    env.pop("ONETRIP_JWT_SECRET", None)
    result = _cli(env, "serve", "--port", "0")
    assert result.returncode != 0
    assert "refusing to start in production" in (result.stderr + result.stdout)


def test_settings_refuse_dev_secrets_in_production(tmp_path):
    from citizen_api.settings import InsecureSettingsError, Settings

    settings = Settings(env="production", var_dir=tmp_path)
    with pytest.raises(InsecureSettingsError):
        settings.check_production()
    ok = Settings(
        env="production",
        var_dir=tmp_path,
        jwt_secret="x" * 40,
        data_key="y" * 43,
        oa_token="real-token",
        oa_aes_key="z" * 43,
        mp_appid="wx-real",
    )
    ok.check_production()
