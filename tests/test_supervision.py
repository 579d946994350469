"""电子监察: warnings on a controllable clock, the job's outbox rows, the warning list, statistics."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.cases.models import Application, SupervisionWarning
from citizen_api.cases.supervision import run_warnings
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings
from tests.job_runs import run_job


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def _staff_world(settings):
    return {
        "window": await f.staff(settings, "ga-window", "window"),
        "approver": await f.staff(settings, "ga-approver", "approver"),
        "rs": await f.staff(settings, "rs-window", "window", "RS"),
        "supervisor": await f.staff(settings, "boss", "supervisor"),
    }


async def _listed(client, headers, **params) -> list[int]:
    resp = await client.get("/api/v1/staff/applications", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return [c["id"] for c in resp.json()["items"]]


async def test_warnings_turn_yellow_then_red(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 30))
    item = await f.published_item()
    alice = await f.citizen(api, client)
    staff = await _staff_world(settings)
    case_id = (await f.submit(client, alice, item))["id"]
    await f.act(client, staff["window"], case_id, "accept")  # deadline 2026-10-13

    async def shown() -> str:
        return (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()["warning"]

    clock.set_now(f.at(2026, 10, 10))  # make-up Saturday: two working days left
    assert await shown() == "none"
    assert await run_job(run_warnings, settings) == 0
    assert await _listed(client, staff["window"], warning="none", status="accepted") == [case_id]

    clock.set_now(f.at(2026, 10, 12))  # one working day left
    assert await shown() == "yellow"  # computed on read, before any job ran
    assert await _listed(client, staff["window"], warning="yellow") == [case_id]
    assert await _listed(client, staff["window"], warning="red") == []
    assert await run_job(run_warnings, settings) == 1
    assert await run_job(run_warnings, settings) == 0  # idempotent
    rows = await Notification.filter(event="case.warning").order_by("user_id")
    assert len(rows) == 2 and {r.audience for r in rows} == {"staff"}
    assert {r.payload["level"] for r in rows} == {"yellow"}
    assert rows[0].payload["deadline"] == "2026-10-13"
    assert (await Application.get(id=case_id)).warning == "yellow"

    clock.set_now(f.at(2026, 10, 13, 17))  # the deadline itself: still yellow
    assert await shown() == "yellow"
    assert await run_job(run_warnings, settings) == 0

    clock.set_now(f.at(2026, 10, 14))
    assert await shown() == "red"
    assert await _listed(client, staff["supervisor"], warning="red", status="accepted") == [case_id]
    assert await run_job(run_warnings, settings) == 1
    assert await run_job(run_warnings, settings) == 0
    levels = sorted(r.payload["level"] for r in await Notification.filter(event="case.warning"))
    assert levels == ["red", "red", "yellow", "yellow"]
    assert await SupervisionWarning.filter(application_id=case_id).count() == 2

    # the warning list: the department sees its own, the centre sees all, others nothing
    for who, total in (("window", 2), ("supervisor", 2), ("rs", 0)):
        resp = await client.get("/api/v1/staff/supervision/warnings", headers=staff[who])
        assert resp.json()["total"] == total, (who, resp.text)
    red_only = (
        await client.get(
            "/api/v1/staff/supervision/warnings", params={"level": "red"}, headers=staff["window"]
        )
    ).json()
    assert [w["level"] for w in red_only["items"]] == ["red"] and red_only["items"][0]["warning"] == "red"
    # stamped by the service clock (the weekly warning series counts by it): red on 10-14, yellow on 10-12
    assert red_only["items"][0]["created_at"].startswith("2026-10-14T")
    resp = await client.get(
        "/api/v1/staff/supervision/warnings", params={"level": "yellow"}, headers=staff["window"]
    )
    assert resp.json()["items"][0]["created_at"].startswith("2026-10-12T")


async def test_suspension_freezes_the_warning(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 30))
    item = await f.published_item()
    alice = await f.citizen(api, client)
    staff = await _staff_world(settings)
    case_id = (await f.submit(client, alice, item))["id"]
    await f.act(client, staff["approver"], case_id, "accept")
    clock.set_now(f.at(2026, 10, 12))
    await f.act(client, staff["approver"], case_id, "suspend", {"reason": "检测"})
    clock.set_now(f.at(2026, 10, 30))  # far past the old deadline, but the clock stands still
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()
    assert detail["status"] == "suspended" and detail["warning"] == "yellow"
    assert await _listed(client, staff["window"], warning="red") == []
    assert await run_job(run_warnings, settings) == 0
    resumed = await f.act(client, staff["approver"], case_id, "resume")
    # 14 working days suspended (10-13 … 10-30) move the deadline from 10-13 to 11-02
    assert resumed.json()["deadline"] == "2026-11-02"


async def test_stats_per_department(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 1))
    ga_item = await f.published_item(visits=0)
    rs_item = await f.published_item("RS-SB-001", dept="RS", name="社保转移", visits=1)
    alice = await f.citizen(api, client)
    staff = await _staff_world(settings)
    admin = await f.staff(settings, "root", "admin")

    on_time = (await f.submit(client, alice, ga_item))["id"]
    late = (await f.submit(client, alice, ga_item))["id"]
    still_open = (await f.submit(client, alice, ga_item))["id"]
    rs_case = (await f.submit(client, alice, rs_item))["id"]
    for case_id in (on_time, late, still_open, rs_case):
        await f.act(client, admin, case_id, "accept")  # deadline 2026-09-08
    clock.set_now(f.at(2026, 9, 4))
    await f.act(client, admin, on_time, "approve")  # 3 working days
    clock.set_now(f.at(2026, 9, 10))
    await f.act(client, admin, late, "reject", {"reason": "不符合条件"})  # 7 working days, late
    await f.act(client, admin, on_time, "deliver", {"channel": "window"})

    resp = await client.get(
        "/api/v1/staff/stats", params={"from": "2026-09-01", "to": "2026-09-30"}, headers=staff["supervisor"]
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["from"] == "2026-09-01" and body["to"] == "2026-09-30"
    ga = next(d for d in body["departments"] if d["department_code"] == "GA")
    assert ga["department_name"] == "公安局"
    assert (ga["submitted"], ga["decided"], ga["on_time"]) == (3, 2, 1)
    # rates are percents (0–100), like every rate the service answers
    assert ga["on_time_rate"] == 50.0
    assert ga["average_working_days"] == 5.0
    assert ga["online_share"] == 100.0
    # no visit needed, and only one of three results was collected at the window
    assert ga["zero_trip_share"] == 66.67
    assert ga["open_by_warning"] == {"none": 0, "yellow": 0, "red": 1, "calendar_uncertain": 0}
    rs = next(d for d in body["departments"] if d["department_code"] == "RS")
    assert rs["zero_trip_share"] == 0.0 and rs["open_by_warning"]["red"] == 1
    assert body["total"]["submitted"] == 4 and body["total"]["open_by_warning"]["red"] == 2

    own = (
        await client.get("/api/v1/staff/stats", params={"from": "2026-09-01"}, headers=staff["window"])
    ).json()
    assert [d["department_code"] for d in own["departments"]] == ["GA"]
    assert_error(
        await client.get("/api/v1/staff/stats", params={"department": "RS"}, headers=staff["window"]),
        403,
        "FORBIDDEN",
    )
    assert_error(
        await client.get(
            "/api/v1/staff/stats", params={"from": "2026-10-01", "to": "2026-09-01"}, headers=staff["window"]
        ),
        422,
        "VALIDATION_ERROR",
    )
    # a range without cases: rates are null, not a division by zero
    empty = (
        await client.get(
            "/api/v1/staff/stats",
            params={"from": "2025-01-01", "to": "2025-01-31"},
            headers=staff["supervisor"],
        )
    ).json()
    assert all(d["on_time_rate"] is None and d["submitted"] == 0 for d in empty["departments"])


async def test_list_totals_match_the_items_for_every_filter(database_url, settings, api, client):
    """The list counts per warning branch (an index-only count each): the totals must still be
    exactly the number of matching cases, on the first page and past it."""
    clock.set_now(f.at(2026, 9, 30))
    item = await f.published_item()
    alice = await f.citizen(api, client)
    staff = await _staff_world(settings)
    ids = [(await f.submit(client, alice, item))["id"] for _ in range(7)]
    for case_id in ids[:5]:
        await f.act(client, staff["window"], case_id, "accept")  # deadline 2026-10-13
    clock.set_now(f.at(2026, 10, 12))  # yellow now
    await f.act(client, staff["approver"], ids[0], "suspend", {"reason": "检测"})  # frozen yellow
    await f.act(client, staff["approver"], ids[1], "approve")
    clock.set_now(f.at(2026, 10, 14))  # the running ones are red now
    await f.act(client, staff["approver"], ids[2], "suspend", {"reason": "专家评审"})  # frozen red
    # now: 0 suspended yellow, 1 approved, 2 suspended red, 3-4 accepted red, 5-6 submitted
    expected = {"none": {ids[1], ids[5], ids[6]}, "yellow": {ids[0]}, "red": {ids[2], ids[3], ids[4]}}
    for who in ("window", "supervisor"):
        for status in (None, "accepted", "suspended", "submitted", "approved"):
            for level, wanted in expected.items():
                params = {"warning": level, **({"status": status} if status else {})}
                if status:
                    wanted = {i for i in wanted if (await Application.get(id=i)).status == status}
                for size in (1, 20):
                    resp = await client.get(
                        "/api/v1/staff/applications", params={**params, "size": size}, headers=staff[who]
                    )
                    body = resp.json()
                    assert body["total"] == len(wanted), (who, params, size, body)
                    assert {c["warning"] for c in body["items"]} <= {level}
                    if size == 20:
                        assert {c["id"] for c in body["items"]} == wanted
    assert (await client.get("/api/v1/staff/applications", headers=staff["rs"])).json()["total"] == 0
