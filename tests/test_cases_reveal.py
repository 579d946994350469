"""The staff case detail is masked for every role; the full identity is revealed, audited, only to
the staff handling the case (window clerks and approvers of its department). Over real HTTP."""

from __future__ import annotations

from citizen_api.audit.models import AuditLog
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.delivery_fixtures import ADDRESS, k100_sim, live  # noqa: F401  (fixtures)

ID_NUMBER = "110105199003071239"  # cases_fixtures.citizen's, with its check digit
PHONE = "13812345678"
ROLES = ("window", "approver", "supervisor", "admin")


async def world(live):
    item = await f.published_item()
    alice = await f.citizen(live.api, live.client)
    created = await f.submit(live.client, alice, item, delivery=ADDRESS)
    staff = {role: await f.staff(live.settings, f"{role}-ga", role) for role in ROLES}
    return created["id"], staff


def reveal(live, case_id: int, headers, body: dict | None = None):
    return live.client.post(f"/api/v1/staff/applications/{case_id}/reveal", json=body or {}, headers=headers)


async def reveals(case_id: int) -> list[AuditLog]:
    return await AuditLog.filter(action="case.reveal_personal_data", object_id=str(case_id)).order_by("id")


async def test_the_detail_is_masked_for_every_staff_role(live):
    case_id, staff = await world(live)
    for role in ROLES:
        resp = await live.client.get(f"/api/v1/staff/applications/{case_id}", headers=staff[role])
        assert resp.status_code == 200, (role, resp.text)
        body = resp.json()
        assert body["applicant"] == {
            "name": "张*丰",
            "id_number": "110***********1239",
            "phone": "138****5678",
        }
        shown = body["delivery_address"]
        assert (shown["phone"], shown["city"]) == ("138****8000", "广州市") and shown["name"] == "张*"
        for secret in (ID_NUMBER, PHONE, ADDRESS["phone"], ADDRESS["address"]):
            assert secret not in resp.text, (role, secret)
    assert await reveals(case_id) == []


async def test_the_handling_staff_see_everything_and_each_reveal_is_audited(live):
    case_id, staff = await world(live)
    for role in ("window", "approver"):
        resp = await reveal(live, case_id, staff[role], {"reason": "电话联系申请人补正"})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert (body["id"], body["name"], body["id_number"], body["phone"]) == (
            case_id,
            "张三丰",
            ID_NUMBER,
            PHONE,
        )
        address = body["delivery_address"]
        assert {k: address[k] for k in ADDRESS} == ADDRESS and address["division_code"]

    rows = await reveals(case_id)
    assert [row.actor_role for row in rows] == ["window", "approver"]
    for row in rows:
        assert row.details["fields"] == ["name", "id_number", "phone", "delivery_address"]
        assert row.details["reason"] == "电话联系申请人补正" and not row.details.get("refused")
        assert ID_NUMBER not in str(row.details) and PHONE not in str(row.details)  # what, never the values


async def test_reveal_is_refused_to_oversight_other_departments_and_citizens(live):
    case_id, staff = await world(live)
    # supervisors and admins see every department but handle no case: 403, and the attempt is on record
    for role in ("supervisor", "admin"):
        error = assert_error(await reveal(live, case_id, staff[role]), 403, "FORBIDDEN")
        assert ID_NUMBER not in str(error)
    refused = await reveals(case_id)
    assert [(row.actor_role, row.details.get("refused")) for row in refused] == [
        ("supervisor", True),
        ("admin", True),
    ]

    # another department's clerk and approver: the case does not exist for them
    for role in ("window", "approver"):
        other = await f.staff(live.settings, f"{role}-rs", role, "RS")
        assert_error(await reveal(live, case_id, other), 404, "NOT_FOUND")
    assert_error(await reveal(live, 999_999, staff["window"]), 404, "NOT_FOUND")

    # citizens (even the applicant) and anonymous callers never reach it
    applicant = await f.citizen(live.api, live.client)
    assert_error(await reveal(live, case_id, applicant.headers), 403, "FORBIDDEN")
    assert_error(
        await live.client.post(f"/api/v1/staff/applications/{case_id}/reveal", json={}),
        401,
        "UNAUTHENTICATED",
    )
    assert len(await reveals(case_id)) == 2  # only the two refusals above; nothing was revealed


async def test_reveal_is_documented(live):
    spec = (await live.client.get("/api/v1/openapi.json")).json()
    op = spec["paths"]["/api/v1/staff/applications/{id}/reveal"]["post"]
    assert op["security"] and {"200", "401", "403", "404", "422"} <= set(op["responses"])
    assert "审计" in op["summary"]
