"""代办授权: a citizen authorises another person; the agent, recognised by their own real-name
profile, files a case for the principal; both see it; scope, expiry and revocation refuse; the
records keep principal and actor apart; strangers see nothing (404); bad input is 422."""

from __future__ import annotations

from datetime import date, datetime

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from citizen_api.cases.models import Application
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.agents_fixtures import AUTHORISATIONS, authorise, id_number, person
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, bearer
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings (long-lived tokens)

TUESDAY = date(2026, 9, 29)
NEXT_MONTH = date(2026, 10, 28)


async def _file(client, agent, item, on_behalf_of: int | None):
    materials = await f.full_materials(agent, item)  # the agent's own uploads
    return await client.post(
        "/api/v1/applications",
        json={"item_code": item.code, "materials": materials, "on_behalf_of": on_behalf_of},
        headers=agent.headers,
    )


async def test_an_agent_files_for_the_principal_and_both_see_the_case(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    item = await f.published_item()
    mother = await person(client, settings, "王秀英", phone="13900001111")
    son = await person(client, settings, "李建国", phone="13700002222")
    given = await authorise(client, mother, son, items=[item.code], until=NEXT_MONTH)
    assert given["agent"] == {"name": "李*国", "id_number": son.id_number[:3] + "*" * 11 + son.id_number[-4:],
                              "phone": "137****2222"}  # fmt: skip
    assert given["status"] == "active" and given["items"] == [item.code]

    # the son sees whom he may act for, matched by his own real-name profile
    principals = (await client.get("/api/v1/me/principals", headers=son.headers)).json()
    assert principals["total"] == 1
    assert principals["items"][0]["id"] == given["id"]
    assert principals["items"][0]["principal"]["name"] == "王*英"

    filed = await _file(client, son, item, given["id"])
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["id"]

    # the case is the mother's; the son is kept beside it as the actor
    case = await Application.get(id=case_id)
    assert (case.applicant_id, case.actor_id, case.filed_by) == (mother.user_id, son.user_id, "agent")
    assert case.authorisation_id == given["id"]

    mine = (await client.get("/api/v1/applications", headers=mother.headers)).json()
    assert [c["id"] for c in mine["items"]] == [case_id]
    assert mine["items"][0]["filed_by"] == "agent"
    assert mine["items"][0]["actor"] == {"kind": "agent", "name": "李*国", "id_number": None, "phone": None}
    assert "withdraw" in mine["items"][0]["actions"]

    as_agent = (await client.get("/api/v1/applications", headers=son.headers)).json()
    assert [c["id"] for c in as_agent["items"]] == [case_id]
    assert as_agent["items"][0]["actions"] == []  # the agent reads; the principal acts

    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=son.headers)).json()
    assert detail["applicant"]["kind"] == "applicant"
    assert detail["applicant"]["name"] == "王*英" and detail["applicant"]["phone"] == "139****1111"
    assert detail["actor"]["name"] == "李*国"
    assert detail["actions"] == []
    own = (await client.get(f"/api/v1/applications/{case_id}", headers=mother.headers)).json()
    assert own["applicant"]["name"] == "王*英" and "withdraw" in own["actions"]

    # the staff's timeline names the agent, not the applicant, as who submitted it
    clerk = await f.staff(settings, "wang", "window")
    staff_detail = (await client.get(f"/api/v1/staff/applications/{case_id}", headers=clerk)).json()
    assert staff_detail["filed_by"] == "agent" and staff_detail["actor"]["name"] == "李*国"
    assert staff_detail["timeline"][0]["actor"]["name"] == "代办人"

    # the mother is told who filed for her; the act is on the record under the case
    told = await Notification.filter(user_id=mother.user_id, event="agent.filed").first()
    assert told is not None and told.payload["agent_name"] == "李*国"
    assert told.payload["number"] == filed.json()["number"]
    act = await AuditLog.get(action="agent.act", object_type="application", object_id=str(case_id))
    assert act.actor_id == son.user_id and act.details["principal_id"] == mother.user_id
    assert await AuditLog.filter(action="agent.authorise", object_id=str(given["id"])).exists()


async def test_refused_outside_the_items_after_expiry_and_after_revocation(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    item = await f.published_item()
    other_item = await f.published_item("GA-HJ-002", name="户口登记")
    mother = await person(client, settings, "王秀英")
    son = await person(client, settings, "李建国")
    given = await authorise(client, mother, son, items=[item.code], until=TUESDAY)

    refused = await _file(client, son, other_item, given["id"])
    error = assert_error(refused, 403, "AGENT_NOT_AUTHORISED")
    assert error["details"] == {"reason": "item_not_covered", "item_code": other_item.code}
    assert "不包括此事项" in error["message"]

    # within the authorisation's last day it works, the day after it does not
    clock.set_now(datetime(2026, 9, 29, 17, 0, tzinfo=clock.CST))
    assert (await _file(client, son, item, given["id"])).status_code == 201
    clock.set_now(datetime(2026, 9, 30, 9, 0, tzinfo=clock.CST))
    error = assert_error(await _file(client, son, item, given["id"]), 403, "AGENT_NOT_AUTHORISED")
    assert error["details"]["reason"] == "expired" and "2026-09-29" in error["message"]
    mine = (await client.get(AUTHORISATIONS, headers=mother.headers)).json()
    assert mine["items"][0]["status"] == "expired"

    # a new one, a case under it, then the mother revokes it: no more acting, no more seeing
    again = await authorise(client, mother, son, until=NEXT_MONTH)  # every item
    case_id = (await _file(client, son, other_item, again["id"])).json()["id"]
    assert (await client.get(f"/api/v1/applications/{case_id}", headers=son.headers)).status_code == 200
    revoked = await client.post(f"{AUTHORISATIONS}/{again['id']}/revoke", headers=mother.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoked_at"]
    assert_error(await client.post(f"{AUTHORISATIONS}/{again['id']}/revoke", headers=mother.headers),
                 409, "AUTHORISATION_REVOKED")  # fmt: skip

    error = assert_error(await _file(client, son, item, again["id"]), 403, "AGENT_NOT_AUTHORISED")
    assert error["details"]["reason"] == "revoked" and "撤销" in error["message"]
    assert_error(await client.get(f"/api/v1/applications/{case_id}", headers=son.headers), 404, "NOT_FOUND")
    assert (await client.get("/api/v1/applications", headers=son.headers)).json()["total"] == 0
    # the mother still has both cases, and the records still say who filed them
    assert (await client.get("/api/v1/applications", headers=mother.headers)).json()["total"] == 2
    assert await Application.filter(actor_id=son.user_id, filed_by="agent").count() == 2
    assert await AuditLog.filter(action="agent.revoke", object_id=str(again["id"])).exists()


async def test_only_the_named_person_may_act(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    item = await f.published_item()
    mother = await person(client, settings, "王秀英")
    son = await person(client, settings, "李建国")
    stranger = await person(client, settings, "赵六")
    given = await authorise(client, mother, son, until=NEXT_MONTH)
    case_id = (await _file(client, son, item, given["id"])).json()["id"]

    # a stranger: the authorisation, the case and the revocation are all 404
    assert_error(await _file(client, stranger, item, given["id"]), 404, "NOT_FOUND")
    assert_error(
        await client.get(f"/api/v1/applications/{case_id}", headers=stranger.headers), 404, "NOT_FOUND"
    )
    assert (await client.get("/api/v1/applications", headers=stranger.headers)).json()["total"] == 0
    assert (await client.get("/api/v1/me/principals", headers=stranger.headers)).json()["total"] == 0
    assert (await client.get(AUTHORISATIONS, headers=stranger.headers)).json()["total"] == 0
    revoke = await client.post(f"{AUTHORISATIONS}/{given['id']}/revoke", headers=stranger.headers)
    assert_error(revoke, 404, "NOT_FOUND")
    # the agent cannot revoke it either (it is the principal's)
    assert_error(
        await client.post(f"{AUTHORISATIONS}/{given['id']}/revoke", headers=son.headers), 404, "NOT_FOUND"
    )

    # the principal cannot "act for" herself, and a name that differs from the authorised one is refused
    error = assert_error(await _file(client, mother, item, given["id"]), 403, "AGENT_NOT_AUTHORISED")
    assert error["details"]["reason"] == "not_agent"
    misnamed = await authorise(client, mother, son, until=NEXT_MONTH, name="李建军")
    error = assert_error(await _file(client, son, item, misnamed["id"]), 403, "AGENT_NOT_AUTHORISED")
    assert error["details"]["reason"] == "identity_mismatch"
    # an unknown id is 404 too
    assert_error(await _file(client, son, item, 99999), 404, "NOT_FOUND")


async def test_bad_input_is_422_with_details(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    await f.published_item()
    mother = await person(client, settings, "王秀英")
    good = {"name": "李建国", "id_number": id_number(), "phone": "13700002222", "items": None,
            "until": "2026-10-28"}  # fmt: skip

    async def post(**changes):
        return await client.post(AUTHORISATIONS, json={**good, **changes}, headers=mother.headers)

    wrong_check = good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")
    fields = assert_error(await post(id_number=wrong_check), 422, "VALIDATION_ERROR")["details"]["fields"]
    assert "身份证" in fields["body.id_number"]
    fields = assert_error(await post(until="2026-09-28"), 422, "VALIDATION_ERROR")["details"]["fields"]
    assert "晚于今天" in fields["body.until"]
    fields = assert_error(await post(until="2027-12-31"), 422, "VALIDATION_ERROR")["details"]["fields"]
    assert "最长" in fields["body.until"]
    fields = assert_error(await post(phone="12345"), 422, "VALIDATION_ERROR")["details"]["fields"]
    assert "body.phone" in fields
    fields = assert_error(await post(items=["NO-SUCH-ITEM"]), 422, "VALIDATION_ERROR")["details"]["fields"]
    assert "NO-SUCH-ITEM" in fields["body.items.0"]
    fields = assert_error(await post(id_number=mother.id_number, name=mother.name), 422, "VALIDATION_ERROR")
    assert "本人" in fields["details"]["fields"]["body.id_number"]
    assert (await client.get(AUTHORISATIONS, headers=mother.headers)).json()["total"] == 0

    # without a real-name profile no one may authorise
    from citizen_api.users.models import User

    anonymous = await User.create(role="citizen", openid="openid-anonymous")
    resp = await client.post(AUTHORISATIONS, json=good, headers=bearer(settings, anonymous.id))
    assert_error(resp, 409, "PROFILE_INCOMPLETE")
