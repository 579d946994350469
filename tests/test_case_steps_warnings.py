"""电子监察 per step: the step warning job tells each level once per step, to the holder, the
department's approvers and the supervisors, as staff messages; the step warning list shows the open
steps in warning in the caller's scope; the case deadline's own warnings go on as before."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.cases.step_warnings import run_step_warnings
from citizen_api.cases.supervision import run_warnings
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.case_steps_fixtures import complete, hall, stepped_item
from tests.conftest import assert_error, make_settings
from tests.job_runs import run_job

LIST = "/api/v1/staff/supervision/step-warnings"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def _listed(client, who, **params) -> list[tuple[int, str, str]]:
    resp = await client.get(LIST, params=params, headers=who.headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["total"] == len(body["items"])
    return [(w["case_id"], w["step"]["code"], w["step"]["warning"]) for w in body["items"]]


async def _told(level: str) -> set[int]:
    rows = await Notification.filter(event="case.step_warning")
    return {r.user_id for r in rows if r.payload["level"] == level}


async def test_each_level_is_told_once_per_step_to_holder_and_supervisors(
    database_url, settings, api, client
):
    clock.set_now(f.at(2026, 9, 7))
    item = await stepped_item()
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    await f.act(client, staff["window"].headers, case_id, "accept")
    assert (
        await complete(client, staff["window"], case_id, next_holder_id=staff["window2"].id)
    ).status_code == 200
    # 审查 (3 working days) started 09-07: limit 09-10, yellow from 09-09
    assert await run_job(run_step_warnings, settings) == 0
    assert await _listed(client, staff["supervisor"]) == []

    clock.set_now(f.at(2026, 9, 9))
    assert await _listed(client, staff["window"]) == [(case_id, "review", "yellow")]
    assert await run_job(run_step_warnings, settings) == 1
    assert await run_job(run_step_warnings, settings) == 0  # told once
    supervisors = {staff["window2"].id, staff["approver"].id, staff["approver2"].id, staff["supervisor"].id}
    assert await _told("yellow") == supervisors  # the holder, the approvers, the centre; not the other clerk
    row = await Notification.filter(event="case.step_warning", user_id=staff["window2"].id).first()
    assert row.audience == "staff"
    assert (row.payload["step_name"], row.payload["deadline"], row.payload["holder"]) == (
        "审查",
        "2026-09-10",
        "ga-window-2",
    )
    assert "「审查」环节即将到期" in row.payload["note"]

    clock.set_now(f.at(2026, 9, 11))
    assert await _listed(client, staff["window"], level="red") == [(case_id, "review", "red")]
    assert await _listed(client, staff["window"], level="yellow") == []
    assert await run_job(run_step_warnings, settings) == 1
    assert await run_job(run_step_warnings, settings) == 0
    assert await _told("red") == supervisors
    assert await Notification.filter(event="case.step_warning").count() == 8
    # the case's own deadline (09-20) is not near: the case warning job tells nobody
    assert await run_job(run_warnings, settings) == 0
    assert await Notification.filter(event="case.warning").count() == 0

    # scope: the department and the centre see it, another department nothing, and may not ask for GA
    assert await _listed(client, staff["supervisor"], department="GA") == [(case_id, "review", "red")]
    assert await _listed(client, staff["rs"]) == []
    assert_error(
        await client.get(LIST, params={"department": "GA"}, headers=staff["rs"].headers), 403, "FORBIDDEN"
    )
    for bad in ({"level": "green"}, {"department": "x" * 33}, {"size": 101}, {"page": 2_147_483_648}):
        assert_error(
            await client.get(LIST, params=bad, headers=staff["window"].headers), 422, "VALIDATION_ERROR"
        )

    # a suspension freezes the step's warning; the finished step leaves the list
    await f.act(client, staff["approver"].headers, case_id, "suspend", {"reason": "专家评审"})
    clock.set_now(f.at(2026, 9, 14))
    assert await _listed(client, staff["window"]) == [(case_id, "review", "red")]
    assert await run_job(run_step_warnings, settings) == 0
    # one working day suspended (09-14) moves the limit 09-10 → 09-11: still past it, red, told already
    await f.act(client, staff["approver"].headers, case_id, "resume")
    assert await _listed(client, staff["window"]) == [(case_id, "review", "red")]
    assert await run_job(run_step_warnings, settings) == 0
    assert (await complete(client, staff["window2"], case_id)).status_code == 200
    decide = await _listed(client, staff["window"])
    assert decide == [(case_id, "decide", "yellow")]  # 1 working day: yellow from its first day
    assert await run_job(run_step_warnings, settings) == 1
    assert await _told("yellow") >= {staff["window2"].id}
