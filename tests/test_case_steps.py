"""电子监察 per step end to end over HTTP on SQLite and PostgreSQL: a case of an item whose guide lists
受理/审查/决定/送达 gets its steps at acceptance, each with its own limit and holder; the holder completes
a step and names the next holder, a step is handed over, a suspension moves the open step's limit,
the decision and the delivery close the last steps; bad holders and wrong moments are refused with
their codes. The case deadline is unchanged by all of it."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from citizen_api.cases import service as cases
from citizen_api.db import atomic
from tests import cases_fixtures as f
from tests.case_steps_fixtures import GUIDE_STEPS, complete, give, hall, stepped_item, steps, steps_url
from tests.conftest import assert_error, make_settings


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


def _by_code(body: dict) -> dict[str, dict]:
    return {s["code"]: s for s in body["steps"]}


async def test_a_case_walks_its_steps_from_acceptance_to_delivery(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 7))  # Monday
    item = await stepped_item()
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await steps(client, staff["window"], case_id))["steps"] == []  # nothing before acceptance

    accepted = await f.act(client, staff["window"].headers, case_id, "accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["deadline"] == "2026-09-20"  # 10 working days (09-20 a make-up Sunday)
    body = await steps(client, staff["window"], case_id)
    first = body["current"]
    assert (first["code"], first["state"], first["state_text"]) == ("accept", "open", "办理中")
    assert (first["holder_id"], first["holder_name"]) == (staff["window"].id, "ga-window")
    assert (first["started_on"], first["limit_on"]) == ("2026-09-07", "2026-09-08")
    assert first["warning"] == "yellow"  # the limit is the next working day
    assert [s["state"] for s in body["steps"]] == ["open", "pending", "pending", "pending"]
    assert body["actions"] == ["complete", "reassign"]
    assert {h["name"] for h in body["holders"]} == {
        "ga-window",
        "ga-window-2",
        "ga-approver",
        "ga-approver-2",
    }
    # the staff detail shows the same steps; another clerk of the department may not act on it
    detail = (
        await client.get(f"/api/v1/staff/applications/{case_id}", headers=staff["window2"].headers)
    ).json()
    assert [s["name"] for s in detail["steps"]] == ["受理", "审查", "决定", "送达"]
    assert (await steps(client, staff["window2"], case_id))["actions"] == []

    # refusals: a holder outside the department, a citizen, a huge id, someone else's step, supervisors
    for bad in (staff["rs"].id, alice.user_id, staff["supervisor"].id):
        error = assert_error(
            await complete(client, staff["window"], case_id, next_holder_id=bad), 422, "HOLDER_INVALID"
        )
        assert "所属部门" in error["message"]
    assert_error(
        await complete(client, staff["window"], case_id, next_holder_id=2_147_483_648),
        422,
        "VALIDATION_ERROR",
    )
    assert_error(await complete(client, staff["window"], case_id, note="x" * 201), 422, "VALIDATION_ERROR")
    assert_error(await complete(client, staff["window2"], case_id), 403, "STEP_NOT_HELD")
    assert_error(await complete(client, staff["rs"], case_id), 404, "NOT_FOUND")
    assert_error(await complete(client, staff["supervisor"], case_id), 403, "FORBIDDEN")
    assert (await steps(client, staff["window"], case_id))["current"]["code"] == "accept"  # nothing moved

    clock.set_now(f.at(2026, 9, 9))  # a day past the step's limit
    assert (await steps(client, staff["window"], case_id))["current"]["warning"] == "red"
    done = await complete(
        client, staff["window"], case_id, next_holder_id=staff["approver"].id, note="材料齐全"
    )
    assert done.status_code == 200, done.text
    by_code = _by_code(done.json())
    assert by_code["accept"]["state"] == "done" and by_code["accept"]["finished_by_name"] == "ga-window"
    assert (by_code["accept"]["days_used"], by_code["accept"]["overdue"]) == (2, True)
    review = done.json()["current"]
    assert (review["code"], review["holder_id"]) == ("review", staff["approver"].id)
    assert (review["started_on"], review["limit_on"], review["warning"]) == (
        "2026-09-09",
        "2026-09-14",
        "none",
    )

    # 转交: to a colleague and back, each on the record
    assert_error(await give(client, staff["approver"], case_id, staff["rs"].id), 422, "HOLDER_INVALID")
    moved = await give(client, staff["approver"], case_id, staff["approver2"].id, "休假")
    assert moved.status_code == 200, moved.text
    assert moved.json()["current"]["holder_name"] == "ga-approver-2"
    assert (await give(client, staff["approver2"], case_id, staff["approver"].id)).status_code == 200
    audited = await AuditLog.filter(action="case.step_holder", object_id=str(case_id)).order_by("id")
    assert [(a.details["from"], a.details["to"]) for a in audited] == [
        (staff["approver"].id, staff["approver2"].id),
        (staff["approver2"].id, staff["approver"].id),
    ]

    # a suspension does not count against the step: 3 working days suspended move its limit 09-14 → 09-17
    clock.set_now(f.at(2026, 9, 10))
    await f.act(client, staff["approver"].headers, case_id, "suspend", {"reason": "现场核查"})
    clock.set_now(f.at(2026, 9, 15))
    assert_error(await complete(client, staff["approver"], case_id), 409, "CASE_NOT_IN_PROGRESS")
    await f.act(client, staff["approver"].headers, case_id, "resume")
    review = (await steps(client, staff["approver"], case_id))["current"]
    assert (review["code"], review["limit_on"]) == ("review", "2026-09-17")

    clock.set_now(f.at(2026, 9, 16))
    done = await complete(client, staff["approver"], case_id)  # the next holder defaults to oneself
    assert done.status_code == 200, done.text
    assert _by_code(done.json())["review"]["days_used"] == 2  # 5 working days, 3 of them suspended
    assert done.json()["current"]["code"] == "decide"
    assert done.json()["current"]["holder_id"] == staff["approver"].id

    # the decision closes 决定 and starts 送达, held by the window that accepted the case
    approved = await f.act(client, staff["approver"].headers, case_id, "approve")
    assert approved.status_code == 200, approved.text
    body = await steps(client, staff["window"], case_id)
    assert _by_code(body)["decide"]["state"] == "done"
    assert (body["current"]["code"], body["current"]["holder_id"]) == ("deliver", staff["window"].id)
    assert body["actions"] == ["reassign"]  # 送达 ends with the delivery, not with 完成本环节
    assert_error(await complete(client, staff["window"], case_id), 409, "CASE_NOT_IN_PROGRESS")

    delivered = await f.act(client, staff["window"].headers, case_id, "deliver", {"channel": "window"})
    assert delivered.status_code == 200, delivered.text
    body = await steps(client, staff["window"], case_id)
    assert [s["state"] for s in body["steps"]] == ["done"] * 4 and body["current"] is None
    assert_error(await give(client, staff["window"], case_id, staff["window2"].id), 409, "NO_OPEN_STEP")
    timeline = (
        await client.get(f"/api/v1/staff/applications/{case_id}", headers=staff["window"].headers)
    ).json()
    notes = [e["note"] for e in timeline["timeline"]]
    assert any("「受理」环节完成" in n for n in notes) and any("「审查」环节更换承办人" in n for n in notes)


async def test_a_decision_before_the_last_steps_skips_them(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 7))
    item = await stepped_item(steps=[s for s in GUIDE_STEPS if s["code"] != "deliver"])
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    # the accepting clerk names the first holder; a bad name leaves the case unaccepted
    assert_error(
        await f.act(client, staff["window"].headers, case_id, "accept", {"step_holder_id": staff["rs"].id}),
        422,
        "HOLDER_INVALID",
    )
    assert (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()[
        "status"
    ] == "submitted"
    ok = await f.act(
        client, staff["window"].headers, case_id, "accept", {"step_holder_id": staff["window2"].id}
    )
    assert ok.status_code == 200, ok.text
    assert (await steps(client, staff["window"], case_id))["current"]["holder_id"] == staff["window2"].id
    # an approver of the department may complete a clerk's step (the posts' supervisor)
    assert (await complete(client, staff["approver"], case_id)).status_code == 200
    rejected = await f.act(client, staff["approver"].headers, case_id, "reject", {"reason": "不符合条件"})
    assert rejected.status_code == 200, rejected.text
    body = await steps(client, staff["approver"], case_id)
    assert [(s["code"], s["state"]) for s in body["steps"]] == [
        ("accept", "done"),
        ("review", "done"),
        ("decide", "skipped"),
    ]
    assert body["current"] is None and body["actions"] == []


async def test_an_item_without_steps_has_no_step_supervision(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 7))
    item = await f.published_item()
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await f.act(client, staff["window"].headers, case_id, "accept")).status_code == 200
    body = await steps(client, staff["window"], case_id)
    assert body["steps"] == [] and body["current"] is None and body["actions"] == []
    assert_error(await complete(client, staff["window"], case_id), 409, "NO_OPEN_STEP")
    assert_error(await give(client, staff["window"], case_id, staff["window2"].id), 409, "NO_OPEN_STEP")
    assert_error(await client.get(steps_url(999_999), headers=staff["window"].headers), 404, "NOT_FOUND")
    assert (
        await client.get(f"/api/v1/staff/applications/{case_id}", headers=staff["window"].headers)
    ).json()["steps"] == []


async def test_a_step_over_an_unknown_year_is_flagged_and_the_courier_closes_delivery(
    database_url, settings, api, client
):
    clock.set_now(f.at(2026, 12, 31))  # 受理's limit falls in 2027, whose schedule is not published
    item = await stepped_item(steps=[GUIDE_STEPS[0], GUIDE_STEPS[3]])
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await f.act(client, staff["window"].headers, case_id, "accept")).status_code == 200
    current = (await steps(client, staff["window"], case_id))["current"]
    assert current["code"] == "accept" and current["limit_uncertain"] is True

    # 受理 done, 送达 waits for the decision; the result goes by post and the courier's signature ends it
    assert (await complete(client, staff["window"], case_id)).status_code == 200
    body = await steps(client, staff["window"], case_id)
    assert body["current"] is None and body["steps"][1]["state"] == "pending"
    assert (await f.act(client, staff["approver"].headers, case_id, "approve")).status_code == 200
    assert (await steps(client, staff["window"], case_id))["current"]["code"] == "deliver"
    async with atomic():
        case = await cases.case_by_id(case_id)
        assert await cases.delivered_by_courier(case, clock.now())
    body = await steps(client, staff["window"], case_id)
    assert [s["state"] for s in body["steps"]] == ["done", "done"] and body["current"] is None
    assert body["steps"][1]["finished_by_name"] == "ga-window"  # the holder: no clerk signed for it


async def test_an_admin_accepting_names_no_holder_until_one_is_given(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 7))
    item = await stepped_item()
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await f.act(client, staff["admin"].headers, case_id, "accept")).status_code == 200
    current = (await steps(client, staff["window"], case_id))["current"]
    assert (current["code"], current["holder_id"], current["holder_name"]) == ("accept", None, None)
    assert (await steps(client, staff["window"], case_id))["actions"] == []  # nobody's step yet
    # the admin may not hold the post; the department's approver hands it to a clerk
    assert_error(await complete(client, staff["admin"], case_id), 422, "HOLDER_INVALID")
    assert (await give(client, staff["approver"], case_id, staff["window"].id)).status_code == 200
    assert (await steps(client, staff["window"], case_id))["actions"] == ["complete", "reassign"]
