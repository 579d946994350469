"""Every statistics endpoint speaks one language: rates are percents (0–100), and without a range each
answers the same default period — the last 30 days up to today — as its OpenAPI parameters say."""

from __future__ import annotations

import pytest

from citizen_api import clock
from tests import cases_fixtures as f
from tests.conftest import make_settings

STATS = ["/staff/stats", "/ratings/stats", "/staff/ratings/stats"]


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_one_default_period_and_percent_rates_across_the_stats_endpoints(
    database_url, settings, api, client
):
    clock.set_now(f.at(2026, 9, 1))
    item = await f.published_item(visits=0)
    alice = await f.citizen(api, client)
    admin = await f.staff(settings, "root", "admin")
    case_id = (await f.submit(client, alice, item))["id"]
    await f.act(client, admin, case_id, "accept")
    clock.set_now(f.at(2026, 9, 3))
    await f.act(client, admin, case_id, "approve")  # on time
    resp = await client.post(
        f"/api/v1/applications/{case_id}/rating", json={"level": 5}, headers=alice.headers
    )
    assert resp.status_code == 201, resp.text

    clock.set_now(f.at(2026, 9, 20))  # the default period: 2026-08-22 … 2026-09-20
    periods = set()
    for path in STATS:
        resp = await client.get(f"/api/v1{path}", headers=admin)
        assert resp.status_code == 200, (path, resp.text)
        periods.add((resp.json()["from"], resp.json()["to"]))
    assert periods == {("2026-08-22", "2026-09-20")}

    supervision = (await client.get("/api/v1/staff/stats", headers=admin)).json()["total"]
    ratings = (await client.get("/api/v1/ratings/stats")).json()["overall"]
    # one case decided on time and rated 非常满意: both are 100 %, not 1.0 beside 100.0
    assert (supervision["on_time_rate"], supervision["online_share"]) == (100.0, 100.0)
    assert (ratings["good_rate"], ratings["active_good_rate"]) == (100.0, 100.0)

    # outside the default period the figures are empty (a range is still honoured)
    clock.set_now(f.at(2026, 10, 30))
    later = (await client.get("/api/v1/staff/stats", headers=admin)).json()
    assert (later["from"], later["to"]) == ("2026-10-01", "2026-10-30")
    assert later["total"]["decided"] == 0 and later["total"]["on_time_rate"] is None
    assert (await client.get("/api/v1/ratings/stats")).json()["overall"]["rated"] == 0
    chosen = (
        await client.get("/api/v1/ratings/stats", params={"from": "2026-09-01", "to": "2026-09-30"})
    ).json()
    assert chosen["overall"]["good_rate"] == 100.0


async def test_the_openapi_documents_the_default_period_and_the_percent_unit(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    described = set()
    for path in STATS:
        params = {p["name"]: p for p in spec["paths"][f"/api/v1{path}"]["get"]["parameters"]}
        described.add((params["from"]["description"], params["to"]["description"]))
    [(start, end)] = described  # one wording for every stats endpoint
    assert "30 天" in start and "今天" in end
    department_stats = spec["components"]["schemas"]["DepartmentStats"]["properties"]
    rates = spec["components"]["schemas"]["RatesView"]["properties"]
    for described_rate in (
        department_stats["on_time_rate"],
        department_stats["online_share"],
        department_stats["zero_trip_share"],
        rates["good_rate"],
    ):
        assert "%" in described_rate["description"]
