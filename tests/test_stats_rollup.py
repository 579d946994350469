"""电子监察's rollup on PostgreSQL: the triggers keep it equal to the cases whatever writes them (the
services, the ORM, an operator's bulk SQL, a deletion), the compaction job changes no figure the
dashboard shows, two compactions at once fold each change once, and the operator's check and
rebuild commands find and mend a rollup that drifted."""

from __future__ import annotations

import asyncio
import os
import subprocess

import pytest
from tortoise import connections

from citizen_api.cases import stats_rollup
from citizen_api.cases.models import Application
from citizen_api.cases.repository import rollup
from tests.test_migrations_and_cli import ONETRIP, ROOT
from tests.test_supervision_series import seed

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
DASHBOARD = {"interval": "week", "from": "2026-03-02", "to": "2026-03-29"}


async def _deltas() -> int:
    rows = await connections.get("default").execute_query_dict("SELECT COUNT(*) AS n FROM case_stats_deltas")
    return rows[0]["n"]


async def _dashboard(client, headers) -> dict:
    resp = await client.get("/api/v1/staff/stats/dashboard", params=DASHBOARD, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _department(dashboard: dict, code: str) -> dict:
    return next(row for row in dashboard["departments"] if row["code"] == code)


async def test_every_write_path_keeps_the_rollup_equal_to_the_cases(database_url, api, client):
    boss, _ = await seed(api, client)  # the ORM's creates and updates, the rating API, warning cards
    assert await _deltas() > 0, "the triggers wrote no change"
    assert await stats_rollup.check() == []
    before = await _dashboard(client, boss)
    assert before["totals"]["on_time_rate"] is not None and _department(before, "GA")["ratings"]["1"] == 1

    assert await stats_rollup.compact() > 0
    assert await _deltas() == 0
    assert await stats_rollup.check() == []
    assert await _dashboard(client, boss) == before

    # an operator's bulk SQL, not the services: GA's decided cases become MZ's
    conn = connections.get("default")
    await conn.execute_query("UPDATE applications SET department_code = 'MZ' WHERE department_code = 'GA'")
    assert await stats_rollup.check() == []
    moved = await _dashboard(client, boss)
    assert _department(moved, "MZ")["on_time_rate"] == before["totals"]["on_time_rate"]
    assert moved["series"]["finished"] == before["series"]["finished"]

    # a deleted case (its warning cards go with it) leaves no figure behind
    late = await Application.filter(deadline__isnull=False).first()
    await Application.filter(id=late.id).delete()
    assert await stats_rollup.check() == []
    after = await _dashboard(client, boss)
    assert sum(point["value"] for point in after["series"]["warnings_red"]) == 0
    assert (
        sum(p["value"] for p in after["series"]["finished"])
        == sum(p["value"] for p in before["series"]["finished"]) - 1
    )


async def test_two_compactions_at_once_fold_each_change_once(database_url, api, client):
    boss, _ = await seed(api, client)
    before = await _dashboard(client, boss)
    folded = await asyncio.gather(rollup.compact(), rollup.compact())
    assert sum(folded) > 0 and await _deltas() == 0
    assert await stats_rollup.check() == []
    assert await _dashboard(client, boss) == before


def _cli(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ONETRIP_DATABASE_URL=database_url, ONETRIP_VAR_DIR=str(tmp_path))
    return subprocess.run([ONETRIP, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


async def test_the_operator_finds_and_mends_a_drifted_rollup(database_url, api, client, tmp_path):
    boss, _ = await seed(api, client)
    await rollup.compact()
    before = await _dashboard(client, boss)
    # a restore that bypassed the triggers: one day's figure is off
    conn = connections.get("default")
    await conn.execute_query(
        "UPDATE case_stats_days SET n = n + 5 WHERE key = 'decided' AND department_code = 'MZ'"
    )
    assert await _dashboard(client, boss) != before

    checked = await asyncio.to_thread(_cli, database_url, tmp_path, "cases", "stats-check")
    assert checked.returncode == 1 and "MZ 2026-03-03 decided: rollup 6, cases 1" in checked.stdout
    rebuilt = await asyncio.to_thread(_cli, database_url, tmp_path, "cases", "stats-rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    again = await asyncio.to_thread(_cli, database_url, tmp_path, "cases", "stats-check")
    assert again.returncode == 0 and "matches" in again.stdout
    assert await _dashboard(client, boss) == before
