"""The complaint lifecycle walked through the API: every (status, action) pair of the table is tried;
what the table allows works and lands where it says, everything else is refused and changes nothing,
every role the table does not name is turned away; and a case offers ``complain`` exactly while no
complaint about it waits for its answer."""

from __future__ import annotations

from datetime import datetime
from itertools import product

from citizen_api import clock
from citizen_api.complaints import transitions as t
from citizen_api.complaints.models import Complaint
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case

FILED_AT = datetime(2026, 3, 10, 10, 0, tzinfo=clock.CST)
STAFF = {"window": "win", "approver": "appr", "supervisor": "boss", "admin": "root"}


def test_the_table_is_the_lifecycle_of_the_rules():
    """Filed open; a supervisor (or admin) answers once."""
    assert t.STATUSES == ("open", "replied")
    assert {k: (v.to, v.roles) for k, v in t.TRANSITIONS.items()} == {
        ("open", "reply"): ("replied", {"supervisor", "admin"})
    }


async def test_every_complaint_step_is_allowed_exactly_as_the_table_says(api, client):
    clock.set_now(FILED_AT)
    alice, headers = await citizen(api, "alice")
    for role, name in STAFF.items():
        await create_staff(name, role, None if role in ("supervisor", "admin") else "GA")
    staff = {role: await api.staff_headers(name) for role, name in STAFF.items()}

    async def complaint_in(status: str) -> tuple[int, int]:
        case = await make_case(alice, status="accepted", department="GA")
        resp = await client.post(
            "/api/v1/complaints",
            json={"application_id": case.id, "content": "窗口让我跑了三趟"},
            headers=headers,
        )
        assert resp.status_code == 201, resp.text
        complaint_id = resp.json()["id"]
        if status == t.REPLIED:
            assert (await reply(complaint_id, "supervisor")).status_code == 200
        assert (await Complaint.get(id=complaint_id)).status == status
        return complaint_id, case.id

    async def reply(complaint_id: int, role: str):
        return await client.post(
            f"/api/v1/staff/complaints/{complaint_id}/reply",
            json={"reply": "已核实并整改"},
            headers=staff[role],
        )

    async def offers_complain(case_id: int) -> bool:
        detail = (await client.get(f"/api/v1/applications/{case_id}", headers=headers)).json()
        return "complain" in detail["actions"]

    actions = sorted({action for _, action in t.TRANSITIONS})
    for status, action in product(t.STATUSES, actions):
        complaint_id, case_id = await complaint_in(status)
        assert await offers_complain(case_id) is (status != t.OPEN)  # one open complaint per case
        resp = await reply(complaint_id, "admin")
        allowed = t.TRANSITIONS.get((status, action))
        if allowed is not None:
            assert resp.status_code == 200, (status, action, resp.text)
            assert resp.json()["status"] == allowed.to
        else:
            assert_error(resp, 409, "ALREADY_REPLIED")
        after = allowed.to if allowed else status
        assert (await Complaint.get(id=complaint_id)).status == after
        assert await offers_complain(case_id) is (after != t.OPEN)

    for (status, _action), transition in t.TRANSITIONS.items():
        for role in STAFF:
            if role not in transition.roles:
                complaint_id, _ = await complaint_in(status)
                assert_error(await reply(complaint_id, role), 403, "FORBIDDEN")
                assert (await Complaint.get(id=complaint_id)).status == status
