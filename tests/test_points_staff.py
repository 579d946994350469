"""三级便民服务 and staff accounts: the admin's 工作人员 list names each 代办员's village point; the command
line makes a 代办员 with ``onetrip staff add … --role village_agent --office CODE`` and refuses, with a
clear error, an office that is not a village point (a town centre, an unknown code), a missing office
and ``--office`` for another role. Over HTTP and the real command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg

from citizen_api.db import close_db, init_db
from citizen_api.domains import MODEL_MODULES
from tests.points_fixtures import STAFF, setup
from tests.services import PG_HOST, PG_PORT, PG_USER, pg_url, require

ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")


async def test_the_staff_list_names_each_agents_point(client, settings):
    p = await setup(client, settings)
    listed = await client.get(f"{STAFF}/users", params={"size": 100}, headers=p.admin)
    assert listed.status_code == 200, listed.text
    rows = {row["username"]: row for row in listed.json()["items"]}
    assert (rows["dongcun"]["office_code"], rows["dongcun"]["office_name"]) == ("DC", "东村便民服务点")
    assert rows["xicun"]["office_name"] == "西村便民服务点"
    assert (rows["window-ga"]["office_code"], rows["window-ga"]["office_name"]) == (None, None)


def _cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [ONETRIP, *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=180
    )


def _add(env: dict, username: str, *options: str) -> subprocess.CompletedProcess:
    return _cli(env, "staff", "add", username, *options, stdin="village-pass-2026\n")


def _agents_point(url: str, username: str) -> str | None:
    async def read() -> str | None:
        await init_db(url, MODEL_MODULES)
        try:
            from citizen_api.users.models import User

            user = await User.get_or_none(username=username)
            return None if user is None else f"{user.role}@{user.office_code}"
        finally:
            await close_db()

    return asyncio.run(read())


def _check_the_command_line(url: str, var_dir: Path) -> None:
    env = dict(os.environ, ONETRIP_DATABASE_URL=url, ONETRIP_VAR_DIR=str(var_dir), ONETRIP_ENV="development")
    assert _cli(env, "migrate").returncode == 0
    seeded = _cli(env, "seed-demo")  # 河西镇 (HXZ, a town) and its village point 东村 (HXZ-DC)
    assert seeded.returncode == 0, seeded.stderr

    made = _add(env, "nancun", "--role", "village_agent", "--office", "HXZ-DC")
    assert made.returncode == 0, made.stderr
    assert "point HXZ-DC" in made.stdout
    assert _agents_point(url, "nancun") == "village_agent@HXZ-DC"

    town = _add(env, "zhenli", "--role", "village_agent", "--office", "HXZ")
    assert town.returncode == 2
    assert "HXZ is not a village service point" in town.stderr and "村（社区）便民服务点" in town.stderr
    unknown = _add(env, "wuming", "--role", "village_agent", "--office", "NOPE")
    assert unknown.returncode == 2 and "NOPE is not a village service point" in unknown.stderr
    missing = _add(env, "meiyou", "--role", "village_agent")
    assert missing.returncode == 2 and "--office" in missing.stderr
    clerk = _add(env, "chuang", "--role", "window", "--department", "GA", "--office", "HXZ-DC")
    assert clerk.returncode == 2 and "--office is for --role village_agent only" in clerk.stderr
    for refused in ("zhenli", "wuming", "meiyou", "chuang"):
        assert _agents_point(url, refused) is None


def test_cli_adds_a_village_agent_on_sqlite(tmp_path):
    _check_the_command_line(f"sqlite://{tmp_path / 'cli.db'}", tmp_path)


def test_cli_adds_a_village_agent_on_postgres(tmp_path):
    require("PostgreSQL", PG_HOST, PG_PORT)
    name = f"onetrip_cli_agent_{os.getpid()}"

    async def database(sql: str) -> None:
        admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="postgres")
        try:
            await admin.execute(sql)
        finally:
            await admin.close()

    asyncio.run(database(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(database(f'CREATE DATABASE "{name}"'))
    try:
        _check_the_command_line(pg_url(name), tmp_path)
    finally:
        asyncio.run(database(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
