"""AB角 and the case steps (电子监察 per step): when the clerk holding two cases' open steps is marked
absent the backup holds both (the case ids recorded, each hand-over on the case's record); on her
return only the case the backup still holds comes back — the one he already passed on stays with
its new holder. Over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from tests import cases_fixtures as f
from tests.case_steps_fixtures import complete, hall, stepped_item, steps
from tests.conftest import assert_error, make_settings

USERS = "/api/v1/staff/users"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_held_steps_go_to_the_backup_and_only_those_he_still_holds_come_back(settings, api, client):
    clock.set_now(f.at(2026, 9, 7))  # Monday
    item = await stepped_item()
    staff = await hall(settings)
    a, b, approver, admin = staff["window"], staff["window2"], staff["approver"], staff["admin"]
    alice = await f.citizen(api, client)
    first = (await f.submit(client, alice, item))["id"]
    second = (await f.submit(client, alice, item))["id"]
    for case_id in (first, second):
        assert (await f.act(client, a.headers, case_id, "accept")).status_code == 200
        assert (await steps(client, a, case_id))["current"]["holder_id"] == a.id

    named = await client.put(f"{USERS}/{a.id}/backup", json={"backup_user_id": b.id}, headers=admin.headers)
    assert named.status_code == 200, named.text
    marked = await client.post(f"{USERS}/{a.id}/absence", json={"reason": "病假"}, headers=admin.headers)
    assert marked.status_code == 200, marked.text
    assert marked.json()["case_ids"] == sorted([first, second])
    assert marked.json()["summary"] == "已转交 2 件、0 个号"
    for case_id in (first, second):
        current = (await steps(client, b, case_id))["current"]
        assert (current["holder_id"], current["holder_name"]) == (b.id, "ga-window-2")
    handed = await AuditLog.filter(action="case.step_holder").order_by("id")
    assert [(e.details["from"], e.details["to"]) for e in handed] == [(a.id, b.id), (a.id, b.id)]
    # the absent clerk no longer holds them: she cannot complete a step
    assert_error(await complete(client, a, first), 403, "STEP_NOT_HELD")

    # B finishes the first case's 受理 and names the approver for 审查: that one is no longer his
    done = await complete(client, b, first, next_holder_id=approver.id)
    assert done.status_code == 200, done.text

    back = await client.post(f"{USERS}/{a.id}/absence/end", headers=a.headers)
    assert back.status_code == 200, back.text
    assert back.json()["returned_case_ids"] == [second]
    assert back.json()["summary"] == "已转交 2 件、0 个号；返岗收回 1 件"
    assert (await steps(client, a, second))["current"]["holder_id"] == a.id
    current = (await steps(client, approver, first))["current"]
    assert (current["code"], current["holder_id"]) == ("review", approver.id)
    returned = await AuditLog.filter(action="staff.return", object_id=str(a.id)).first()
    assert returned is not None
    assert (returned.details["returned_case_ids"], returned.details["not_returned"]) == ([second], [first])
