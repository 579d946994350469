"""Release rules (放号) on the service clock: a day opens N days ahead at HH:MM; before that the day
says when, its slots show without being bookable, and booking answers 409 NOT_YET_OPEN."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import Slot
from tests.appointments_fixtures import book, citizen, make_hall, make_item, slots_on, staff
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

# Monday 2026-09-21 07:59 in Beijing; Monday 09-28 opens 7 days ahead at 08:00, i.e. in a minute
BEFORE = datetime(2026, 9, 21, 7, 59, tzinfo=clock.CST)
MONDAY = date(2026, 9, 28)
DAYS = "/api/v1/appointments/days"


async def test_a_day_opens_at_its_release_time(appt_client, appt_settings):
    clock.set_now(BEFORE)
    hall = await make_hall()
    other = await make_item(hall.department)
    await hall.group.items.add(other)
    admin = await staff(appt_settings, "admin", "admin", None)
    rules = f"/api/v1/staff/window-groups/{hall.group.id}/release-rules"
    resp = await appt_client.put(rules, json={"days_before": 7, "at": "08:00"}, headers=admin)
    assert resp.status_code == 200, resp.text
    assert resp.json() == [{"group": hall.group.code, "item_code": None, "days_before": 7, "at": "08:00"}]
    # the other item opens later (its own rule): 10:30, 6 days ahead
    body = {"item_code": other.code, "days_before": 6, "at": "10:30"}
    assert (await appt_client.put(rules, json=body, headers=admin)).status_code == 200
    assert len((await appt_client.get(rules, headers=admin)).json()) == 2
    bad = {"days_before": 7, "at": "8am"}
    assert_error(await appt_client.put(rules, json=bad, headers=admin), 422, "VALIDATION_ERROR")
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    assert_error(await appt_client.put(rules, json=body, headers=clerk), 403, "FORBIDDEN")

    params = {"item_code": hall.item.code, "from": "2026-09-24", "to": "2026-09-29"}
    days = {d["date"]: d for d in (await appt_client.get(DAYS, params=params)).json()}
    assert days["2026-09-24"]["available"] and days["2026-09-24"]["opens_at"] is None  # released 09-17
    assert days["2026-09-25"]["reason"] == "法定节假日（中秋）" and days["2026-09-25"]["opens_at"] is None
    monday = days["2026-09-28"]
    assert monday["available"] is False
    assert monday["opens_at"] == "2026-09-21T08:00:00+08:00"
    assert monday["reason"] == "09-21 08:00 放号"
    assert monday["allocation"] == "first_come"
    assert days["2026-09-29"]["opens_at"] == "2026-09-22T08:00:00+08:00"

    slots = await slots_on(appt_client, hall.item.code, MONDAY)
    assert slots and {s["opens_at"] for s in slots} == {"2026-09-21T08:00:00+08:00"}
    _, alice = await citizen(appt_settings, "alice")
    refused = assert_error(
        await book(appt_client, alice, slots[0]["id"], hall.item.code), 409, "NOT_YET_OPEN"
    )
    assert refused["details"] == {"opens_at": "2026-09-21T08:00:00+08:00"}
    assert (await Slot.get(id=slots[0]["id"])).booked == 0

    clock.advance(timedelta(minutes=1))  # 08:00: released
    slots = await slots_on(appt_client, hall.item.code, MONDAY)
    assert {s["opens_at"] for s in slots} == {None}
    assert (await book(appt_client, alice, slots[0]["id"], hall.item.code)).status_code == 201
    days = {d["date"]: d for d in (await appt_client.get(DAYS, params=params)).json()}
    assert days["2026-09-28"]["available"] and days["2026-09-28"]["reason"] is None

    # the item's own rule: not before 09-22 10:30
    other_slots = await slots_on(appt_client, other.code, MONDAY)
    assert {s["opens_at"] for s in other_slots} == {"2026-09-22T10:30:00+08:00"}
    assert_error(await book(appt_client, alice, other_slots[0]["id"], other.code), 409, "NOT_YET_OPEN")

    # removing the item's rule: the group's rule applies to it again
    resp = await appt_client.delete(rules, params={"item_code": other.code}, headers=admin)
    assert resp.status_code == 200 and len(resp.json()) == 1
    assert {s["opens_at"] for s in await slots_on(appt_client, other.code, MONDAY)} == {None}
    assert_error(
        await appt_client.delete(rules, params={"item_code": other.code}, headers=admin), 404, "NOT_FOUND"
    )
