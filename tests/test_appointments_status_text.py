"""What the citizen's appointment views say: status_text, can_cancel (the cancel rule), check-in code."""

from __future__ import annotations

import re
from datetime import date, datetime

from citizen_api import clock
from citizen_api.appointments.models import Appointment
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    make_item,
    slots_on,
    staff,
)
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY = date(2026, 9, 29)
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{10}$")


async def views(client, headers: dict, appointment_id: int) -> tuple[dict, dict]:
    """The detail and the list row of one appointment: both must say the same."""
    detail = await client.get(f"/api/v1/appointments/{appointment_id}", headers=headers)
    assert detail.status_code == 200, detail.text
    listed = await client.get("/api/v1/appointments", headers=headers)
    assert listed.status_code == 200, listed.text
    row = next(a for a in listed.json()["items"] if a["id"] == appointment_id)
    return detail.json(), row


async def test_can_cancel_follows_the_cut_off_and_the_cancel_call(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    second = await make_item(hall.department)  # one booking per item and day: a second item
    await hall.group.items.add(second)
    _, alice = await citizen(appt_settings, "alice")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    ten = next(s for s in slots if s["start"] == "2026-09-29T10:00:00+08:00")
    eleven = next(s for s in slots if s["start"] == "2026-09-29T11:00:00+08:00")
    posted = await book(appt_client, alice, ten["id"], hall.item.code)
    assert posted.status_code == 201, posted.text
    booked = posted.json()
    assert (booked["status"], booked["status_text"], booked["can_cancel"]) == ("booked", "已预约", True)
    for shown in await views(appt_client, alice, booked["id"]):
        assert (shown["status"], shown["status_text"], shown["can_cancel"]) == ("booked", "已预约", True)
        assert shown["cancel_deadline"] == "2026-09-29T08:00:00+08:00"

    # exactly at the cut-off the booking may still be cancelled; one minute later it may not
    clock.set_now(datetime(2026, 9, 29, 8, 0, tzinfo=clock.CST))
    assert all(v["can_cancel"] for v in await views(appt_client, alice, booked["id"]))
    clock.set_now(datetime(2026, 9, 29, 8, 1, tzinfo=clock.CST))
    for shown in await views(appt_client, alice, booked["id"]):
        assert (shown["status_text"], shown["can_cancel"]) == ("已预约", False)
    late = await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice)
    assert_error(late, 409, "CANCEL_TOO_LATE")

    # at 08:30 a booking of 11:00 (cut-off 09:00) is still cancellable, and cancelling it works
    other = (await book(appt_client, alice, eleven["id"], second.code)).json()
    clock.set_now(datetime(2026, 9, 29, 8, 30, tzinfo=clock.CST))
    assert all(v["can_cancel"] for v in await views(appt_client, alice, other["id"]))
    cancelled = await appt_client.post(f"/api/v1/appointments/{other['id']}/cancel", headers=alice)
    assert cancelled.status_code == 200, cancelled.text
    answer = cancelled.json()
    assert (answer["status"], answer["status_text"], answer["can_cancel"]) == ("cancelled", "已取消", False)
    for shown in await views(appt_client, alice, other["id"]):
        assert (shown["status"], shown["status_text"], shown["can_cancel"]) == ("cancelled", "已取消", False)
    # can_cancel false because the call would fail: it does
    again = await appt_client.post(f"/api/v1/appointments/{other['id']}/cancel", headers=alice)
    assert_error(again, 409, "NOT_CANCELLABLE")


async def test_checked_in_and_no_show_cannot_be_cancelled(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    clerk = await staff(appt_settings, "clerk1", "window", "GA")
    slots = await slots_on(appt_client, hall.item.code, MONDAY_BEFORE_NATIONAL_DAY.date())
    late_slot = next(s for s in slots if s["start"] == "2026-09-28T16:30:00+08:00")
    early_slot = next(s for s in slots if s["start"] == "2026-09-28T10:00:00+08:00")
    arriving = (await book(appt_client, alice, late_slot["id"], hall.item.code)).json()
    missing = (await book(appt_client, bob, early_slot["id"], hall.item.code)).json()

    # checked in hours before the cut-off: the status alone forbids cancelling
    resp = await appt_client.post(f"/api/v1/staff/appointments/{arriving['id']}/check-in", headers=clerk)
    assert resp.status_code == 200, resp.text
    for shown in await views(appt_client, alice, arriving["id"]):
        assert (shown["status"], shown["status_text"], shown["can_cancel"]) == ("checked_in", "已签到", False)
    assert_error(
        await appt_client.post(f"/api/v1/appointments/{arriving['id']}/cancel", headers=alice),
        409,
        "NOT_CANCELLABLE",
    )

    clock.set_now(datetime(2026, 9, 28, 10, 30, tzinfo=clock.CST))
    resp = await appt_client.post(f"/api/v1/staff/appointments/{missing['id']}/no-show", headers=clerk)
    assert resp.status_code == 200, resp.text
    for shown in await views(appt_client, bob, missing["id"]):
        assert (shown["status"], shown["status_text"], shown["can_cancel"]) == ("no_show", "已爽约", False)


async def test_each_booking_has_its_own_stored_check_in_code(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    first = (await book(appt_client, alice, slots[0]["id"], hall.item.code)).json()
    second = (await book(appt_client, bob, slots[0]["id"], hall.item.code)).json()
    assert CODE.match(first["check_in_code"]) and CODE.match(second["check_in_code"])
    assert first["check_in_code"] != second["check_in_code"]
    # stored: every later read shows the code the booking answer showed
    detail, row = await views(appt_client, alice, first["id"])
    assert detail["check_in_code"] == row["check_in_code"] == first["check_in_code"]
    assert (await Appointment.get(id=first["id"])).check_in_code == first["check_in_code"]
    # cancelling and booking again is a new booking with a new code
    resp = await appt_client.post(f"/api/v1/appointments/{first['id']}/cancel", headers=alice)
    assert resp.json()["check_in_code"] == first["check_in_code"]
    rebooked = (await book(appt_client, alice, slots[1]["id"], hall.item.code)).json()
    assert rebooked["check_in_code"] not in (first["check_in_code"], second["check_in_code"])
