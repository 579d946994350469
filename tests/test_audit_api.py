"""GET /staff/audit: a case's trail (who read personal data, who moved it), newest first, with the
actor's name and role and no personal data; supervisors and admins only."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.audit.service import without_personal_data
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_the_trail_of_a_case(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 1))
    item = await f.published_item()
    alice = await f.citizen(api, client, phone="13912345678")
    clerk = await f.staff(settings, "clerk", "window", "GA")
    boss = await f.staff(settings, "boss", "supervisor")
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await f.act(client, clerk, case_id, "accept")).status_code == 200
    assert (await client.get(f"/api/v1/staff/applications/{case_id}", headers=clerk)).status_code == 200
    resp = await client.post(
        f"/api/v1/staff/applications/{case_id}/reveal",
        json={"reason": "电话 13912345678 核实"},
        headers=clerk,
    )
    assert resp.status_code == 200, resp.text

    resp = await client.get(
        "/api/v1/staff/audit", params={"object_type": "application", "object_id": str(case_id)}, headers=boss
    )
    assert resp.status_code == 200, resp.text
    trail = resp.json()
    actions = [entry["action"] for entry in trail["items"]]
    assert trail["total"] == len(actions) >= 4
    assert actions[0] == "case.reveal_personal_data" and actions[-1] == "case.submit"  # newest first
    assert "case.read_detail" in actions
    reveal = trail["items"][0]
    assert (reveal["actor_name"], reveal["actor_role"]) == ("clerk", "window")
    assert reveal["details"]["reason"] == "电话 139****5678 核实"  # personal data masked even in text
    submit = trail["items"][-1]
    assert (submit["actor_role"], submit["actor_name"]) == ("citizen", None)  # no citizen's name
    assert "13912345678" not in resp.text and "张三丰" not in resp.text
    ats = [entry["at"] for entry in trail["items"]]
    assert ats == sorted(ats, reverse=True) and ats[0].endswith("+08:00")
    assert all(at.startswith("2026-09-01T") for at in ats)  # the service clock, not the machine's

    paged = await client.get("/api/v1/staff/audit", params={"size": 1, "page": 2}, headers=boss)
    assert paged.status_code == 200 and len(paged.json()["items"]) == 1
    assert paged.json()["total"] >= trail["total"]

    assert_error(await client.get("/api/v1/staff/audit", headers=clerk), 403, "FORBIDDEN")
    approver = await f.staff(settings, "appr", "approver", "GA")
    assert_error(await client.get("/api/v1/staff/audit", headers=approver), 403, "FORBIDDEN")
    admin = await f.staff(settings, "root", "admin")
    assert (await client.get("/api/v1/staff/audit", headers=admin)).status_code == 200
    for bad in ({"size": 0}, {"size": 101}, {"object_type": "x" * 40}, {"object_type": "DROP TABLE"}):
        assert_error(
            await client.get("/api/v1/staff/audit", params=bad, headers=boss), 422, "VALIDATION_ERROR"
        )


def test_personal_fields_and_numbers_are_left_out():
    details = {
        "number": "GA1",
        "phone": "13800138000",
        "nested": [{"id_number": "x", "note": "11010519900307123X"}],
    }
    assert without_personal_data(details) == {"number": "GA1", "nested": [{"note": "110***********123X"}]}
