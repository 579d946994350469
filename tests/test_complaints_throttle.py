"""投诉 throttling over the real HTTP server: every complaint tells every supervisor, so a citizen may
file only ``complaint_rate_limit`` per window (then 429 RATE_LIMITED with Retry-After), and a case has
one open complaint at a time."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.complaints.models import Complaint
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, k100_sim, live, make_case, outbox_rows  # noqa: F401

URL = "/api/v1/complaints"
START = datetime(2026, 3, 10, 10, 0, 30, tzinfo=clock.CST)


async def test_the_complaint_past_the_limit_is_429_and_tells_nobody(live):
    clock.set_now(START)
    _alice, headers = await citizen(live.api, "alice")
    await create_staff("boss", "supervisor", None)
    await create_staff("boss2", "supervisor", None)
    limit = live.settings.complaint_rate_limit
    assert limit == 5  # the documented default

    for n in range(limit):
        resp = await live.client.post(URL, json={"content": f"大厅叫号系统故障第{n + 1}次"}, headers=headers)
        assert resp.status_code == 201, resp.text
    refused = await live.client.post(URL, json={"content": "大厅叫号系统又故障了"}, headers=headers)
    err = assert_error(refused, 429, "RATE_LIMITED")
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= live.settings.complaint_rate_window_seconds
    assert err["details"]["retry_after"] == retry_after
    assert await Complaint.all().count() == limit
    assert len(await outbox_rows("complaint.filed")) == limit * 2  # two supervisors, told N times each

    # another citizen is not held back by alice's flood
    _bob, bob_headers = await citizen(live.api, "bob")
    assert (
        await live.client.post(URL, json={"content": "窗口工作人员态度冷漠"}, headers=bob_headers)
    ).status_code == 201

    # after the window alice may complain again
    clock.set_now(START + timedelta(seconds=retry_after - 1))
    headers = await live.api.citizen_headers("alice")
    assert_error(
        await live.client.post(URL, json={"content": "还在故障之中"}, headers=headers), 429, "RATE_LIMITED"
    )
    clock.set_now(START + timedelta(seconds=retry_after))
    headers = await live.api.citizen_headers("alice")
    resp = await live.client.post(URL, json={"content": "叫号系统今天仍然故障"}, headers=headers)
    assert resp.status_code == 201, resp.text
    assert len(await outbox_rows("complaint.filed")) == (limit + 2) * 2
    mine = (await live.client.get(URL, headers=headers)).json()
    assert mine["total"] == limit + 1


async def test_a_flood_at_once_is_cut_at_the_limit(live):
    clock.set_now(START)
    _alice, headers = await citizen(live.api, "alice")
    boss = await create_staff("boss", "supervisor", None)
    answers = await asyncio.gather(
        *(live.client.post(URL, json={"content": f"投诉内容编号{n:02d}"}, headers=headers) for n in range(20))
    )
    codes = sorted(r.status_code for r in answers)
    limit = live.settings.complaint_rate_limit
    assert codes == [201] * limit + [429] * (20 - limit)
    assert all(r.headers.get("Retry-After") for r in answers if r.status_code == 429)
    assert len(await outbox_rows("complaint.filed", user_id=boss.id)) == limit


async def test_one_open_complaint_per_case(live):
    clock.set_now(START)
    alice, headers = await citizen(live.api, "alice")
    await create_staff("boss", "supervisor", None)
    case = await make_case(alice, status="accepted")
    first = await live.client.post(
        URL, json={"application_id": case.id, "content": "受理后一直没有进展"}, headers=headers
    )
    assert first.status_code == 201, first.text
    err = assert_error(
        await live.client.post(
            URL, json={"application_id": case.id, "content": "再投诉一次没有进展"}, headers=headers
        ),
        409,
        "COMPLAINT_OPEN",
    )
    assert err["details"]["complaint_id"] == first.json()["id"]
    assert len(await outbox_rows("complaint.filed")) == 1
    # a complaint about the hall, or about another case, is still welcome meanwhile
    other = await make_case(alice, status="accepted")
    about_other = {"application_id": other.id, "content": "另一个办件也没有进展"}
    assert (await live.client.post(URL, json=about_other, headers=headers)).status_code == 201
    assert (
        await live.client.post(URL, json={"content": "大厅座椅不够用"}, headers=headers)
    ).status_code == 201

    # once answered, the case may be complained about again
    boss = await live.api.staff_headers("boss")
    reply = await live.client.post(
        f"/api/v1/staff/complaints/{first.json()['id']}/reply", json={"reply": "已催办"}, headers=boss
    )
    assert reply.status_code == 200, reply.text
    again = await live.client.post(
        URL, json={"application_id": case.id, "content": "催办后仍无进展"}, headers=headers
    )
    assert again.status_code == 201, again.text


async def test_racing_complaints_about_one_case_file_one(live):
    clock.set_now(START)
    alice, headers = await citizen(live.api, "alice")
    await create_staff("boss", "supervisor", None)
    case = await make_case(alice, status="accepted")
    answers = await asyncio.gather(
        *(
            live.client.post(
                URL, json={"application_id": case.id, "content": f"同时投诉第{n}次"}, headers=headers
            )
            for n in range(3)
        )
    )
    assert sorted(r.status_code for r in answers) == [201, 409, 409]
    assert await Complaint.filter(application_id=case.id).count() == 1
    assert len(await outbox_rows("complaint.filed")) == 1
