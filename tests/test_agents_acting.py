"""代办 at the hall: an agent books for the principal (the principal's one-booking-per-day rule
holds, the agent's own is separate; both see it, a stranger gets 404), and 帮办: a window clerk
files a case for a citizen at the counter (filed_by staff_assisted, the clerk as the actor)."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments.models import Appointment
from citizen_api.audit.models import AuditLog
from citizen_api.cases.models import Application
from citizen_api.users.models import User
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.agents_fixtures import AUTHORISATIONS, authorise, id_number, person
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, make_hall, make_item, slots_on
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings (long-lived tokens)

TUESDAY = date(2026, 9, 29)
NEXT_MONTH = date(2026, 10, 28)


async def _book_for(client, agent, slot_id: int, item_code: str, on_behalf_of: int):
    body = {"slot_id": slot_id, "item_code": item_code, "on_behalf_of": on_behalf_of}
    return await client.post("/api/v1/appointments", json=body, headers=agent.headers)


async def test_an_agent_books_for_the_principal_under_her_one_booking_a_day(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    slots = await slots_on(client, hall.item.code, TUESDAY)
    mother = await person(client, settings, "王秀英")
    son = await person(client, settings, "李建国")
    stranger = await person(client, settings, "赵六")
    given = await authorise(client, mother, son, until=NEXT_MONTH)  # every item

    booked = await _book_for(client, son, slots[0]["id"], hall.item.code, given["id"])
    assert booked.status_code == 201, booked.text
    answer = booked.json()
    assert answer["filed_by"] == "agent" and answer["check_in_code"]
    row = await Appointment.get(id=answer["id"])
    assert (row.user_id, row.actor_id, row.filed_by) == (mother.user_id, son.user_id, "agent")

    # the day's booking is the mother's: neither she nor the son (for her) gets a second one
    assert_error(await book(client, mother.headers, slots[1]["id"], hall.item.code), 409, "ALREADY_BOOKED")
    again = await _book_for(client, son, slots[1]["id"], hall.item.code, given["id"])
    assert_error(again, 409, "ALREADY_BOOKED")
    # the son's own booking that day is his own affair
    assert (await book(client, son.headers, slots[1]["id"], hall.item.code)).status_code == 201

    # both see the booking made for her; the son also sees his own, the stranger nothing
    hers = (await client.get("/api/v1/appointments", headers=mother.headers)).json()
    assert [a["id"] for a in hers["items"]] == [answer["id"]]
    his = (await client.get("/api/v1/appointments", headers=son.headers)).json()
    assert answer["id"] in [a["id"] for a in his["items"]] and his["total"] == 2
    seen = await client.get(f"/api/v1/appointments/{answer['id']}", headers=son.headers)
    assert seen.status_code == 200 and seen.json()["check_in_code"] == answer["check_in_code"]
    url = f"/api/v1/appointments/{answer['id']}"
    assert_error(await client.get(url, headers=stranger.headers), 404, "NOT_FOUND")
    assert_error(
        await _book_for(client, stranger, slots[2]["id"], hall.item.code, given["id"]), 404, "NOT_FOUND"
    )

    # the mother is told; the act is audited on the booking
    told = await Notification.filter(user_id=mother.user_id, event="agent.booked").first()
    assert told is not None and told.payload["agent_name"] == "李*国"
    assert await AuditLog.filter(
        action="agent.act", object_type="appointment", object_id=str(answer["id"])
    ).exists()

    # revoked: the son no longer sees her booking, nor books for her; she keeps it
    await client.post(f"{AUTHORISATIONS}/{given['id']}/revoke", headers=mother.headers)
    assert_error(await client.get(url, headers=son.headers), 404, "NOT_FOUND")
    assert (await client.get("/api/v1/appointments", headers=son.headers)).json()["total"] == 1
    assert (await client.get(url, headers=mother.headers)).status_code == 200
    other = await make_item(hall.department)
    await hall.group.items.add(other)
    refused = await _book_for(client, son, slots[2]["id"], other.code, given["id"])
    assert assert_error(refused, 403, "AGENT_NOT_AUTHORISED")["details"]["reason"] == "revoked"


async def test_an_authorisation_for_some_items_does_not_book_others(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    other = await make_item(hall.department)
    await hall.group.items.add(other)
    slots = await slots_on(client, other.code, TUESDAY)
    mother = await person(client, settings, "王秀英")
    son = await person(client, settings, "李建国")
    given = await authorise(client, mother, son, items=[hall.item.code], until=NEXT_MONTH)
    refused = await _book_for(client, son, slots[0]["id"], other.code, given["id"])
    error = assert_error(refused, 403, "AGENT_NOT_AUTHORISED")
    assert error["details"]["reason"] == "item_not_covered"
    assert await Appointment.all().count() == 0


async def test_a_clerk_files_for_a_citizen_at_the_hall(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    item = await f.published_item()
    rs_item = await f.published_item("RS-SB-001", dept="RS", name="社保登记")
    clerk = await f.staff(settings, "wang", "window")
    clerk_id = (await User.get(username="wang")).id
    scans = f.Citizen(clerk_id, clerk, "")
    citizen = {"name": "刘大爷", "id_number": id_number("19450101"), "phone": "13600003333"}

    resp = await client.post(
        "/api/v1/staff/applications",
        json={"item_code": item.code, "citizen": citizen, "materials": await f.full_materials(scans, item)},
        headers=clerk,
    )
    assert resp.status_code == 201, resp.text
    case = await Application.get(id=resp.json()["id"])
    assert (case.filed_by, case.actor_id, case.channel) == ("staff_assisted", clerk_id, "window")
    hall_only = await User.get(id=case.applicant_id)
    assert hall_only.role == "citizen" and hall_only.openid is None  # an account without WeChat
    assert await AuditLog.filter(action="case.staff_assisted", object_id=str(case.id)).exists()

    # a citizen known by ID number is found, and sees the case as filed for them at the window
    known = await person(client, settings, "王秀英")
    resp = await client.post(
        "/api/v1/staff/applications",
        json={
            "item_code": item.code,
            "citizen": {"name": known.name, "id_number": known.id_number, "phone": known.phone},
            "materials": await f.full_materials(scans, item),
        },
        headers=clerk,
    )
    assert resp.status_code == 201, resp.text
    mine = (await client.get("/api/v1/applications", headers=known.headers)).json()
    assert [c["id"] for c in mine["items"]] == [resp.json()["id"]]
    assert mine["items"][0]["filed_by"] == "staff_assisted"
    assert mine["items"][0]["actor"]["kind"] == "staff"

    # another department's item, a bad ID number, a citizen's token: refused
    other = {"item_code": rs_item.code, "citizen": citizen, "materials": {}}
    assert_error(await client.post("/api/v1/staff/applications", json=other, headers=clerk), 403, "FORBIDDEN")
    bad = {"item_code": item.code, "citizen": {**citizen, "id_number": "110105194501010000"}, "materials": {}}
    fields = assert_error(await client.post("/api/v1/staff/applications", json=bad, headers=clerk), 422,
                          "VALIDATION_ERROR")["details"]["fields"]  # fmt: skip
    assert "body.citizen.id_number" in fields
    as_citizen = await client.post("/api/v1/staff/applications", json=other, headers=known.headers)
    assert as_citizen.status_code == 403
