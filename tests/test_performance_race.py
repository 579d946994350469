"""效能考评 on PostgreSQL: two supervisors computing the same month at the same moment (a new month, then
a recompute) both succeed, one after the other, and the month holds one set of rows, not two; two first
settings of the weights at once both succeed, the later one in force."""

from __future__ import annotations

import asyncio

import pytest

from citizen_api import clock
from citizen_api.performance.models import PerformanceCase, PerformanceMonth, PerformanceScore
from tests import cases_fixtures as f
from tests.conftest import make_settings
from tests.performance_fixtures import clerk, october

BASE = "/api/v1/staff/performance"


@pytest.fixture
def settings(tmp_path, postgres_url, wechat_sim):
    return make_settings(tmp_path, postgres_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_two_computes_of_one_month_at_once(settings, api, client):
    await october(client, api, settings)
    clock.set_now(f.at(2026, 11, 2, 12))
    first = (await clerk(settings, "sup-a", "supervisor", None)).headers
    second = (await clerk(settings, "sup-b", "admin", None)).headers
    for _ in range(2):  # the month new, then there
        answers = await asyncio.gather(
            client.post(f"{BASE}/2026-10/compute", headers=first),
            client.post(f"{BASE}/2026-10/compute", headers=second),
        )
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert await PerformanceMonth.filter(month="2026-10").count() == 1
        assert await PerformanceScore.filter(month="2026-10").count() == 3 + 2 + 4
        assert await PerformanceCase.filter(month="2026-10", level="department").count() == 5


async def test_two_first_weightings_at_once(settings, api, client):
    first = (await clerk(settings, "sup-a", "supervisor", None)).headers
    second = (await clerk(settings, "sup-b", "admin", None)).headers
    a = {"on_time": 50, "warnings": 10, "steps_overdue": 10, "rating": 20, "complaints": 10}
    b = {"on_time": 30, "warnings": 20, "steps_overdue": 10, "rating": 30, "complaints": 10}
    answers = await asyncio.gather(
        client.put(f"{BASE}/weights", json=a, headers=first),
        client.put(f"{BASE}/weights", json=b, headers=second),
    )
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    shown = (await client.get(f"{BASE}/weights", headers=first)).json()["weights"]
    assert shown in (a, b)
