"""Booking and cancelling as a citizen sees it: limits, horizon, lead time, cut-off, others' bookings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import Appointment, Slot, WeeklyQuota
from citizen_api.appointments.schedule import ensure_slots
from notifications.models import Notification
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    make_item,
    slots_on,
)
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)


async def test_book_list_and_cancel(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    alice_id, alice = await citizen(appt_settings, "alice")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    resp = await book(appt_client, alice, slots[2]["id"], hall.item.code)
    assert resp.status_code == 201, resp.text
    booked = resp.json()
    assert booked["status"] == "booked"
    assert booked["slot"] == {**slots[2], "remaining": 2}
    assert booked["date"] == "2026-09-29" and booked["item_code"] == hall.item.code
    assert booked["cancel_deadline"] == "2026-09-29T08:00:00+08:00"  # 2 hours before 10:00
    assert "市民中心政务服务大厅" in booked["place"]
    assert (await slots_on(appt_client, hall.item.code, TUESDAY))[2]["remaining"] == 2

    note = await Notification.get(user_id=alice_id, event="appointment.booked")
    assert note.payload["date"] == "2026-09-29"
    assert (note.payload["start"], note.payload["end"]) == ("10:00", "10:30")
    assert note.payload["item_name"] == hall.item.name

    mine = await appt_client.get("/api/v1/appointments", headers=alice)
    assert mine.status_code == 200
    assert mine.json()["total"] == 1 and mine.json()["items"][0]["id"] == booked["id"]

    # one active booking per item per day, whatever the slot
    assert_error(await book(appt_client, alice, slots[5]["id"], hall.item.code), 409, "ALREADY_BOOKED")

    cancelled = await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["slot"]["remaining"] == 3
    assert await Notification.exists(user_id=alice_id, event="appointment.cancelled")
    again = await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice)
    assert_error(again, 409, "NOT_CANCELLABLE")
    # cancelled: the day is free again for that item
    assert (await book(appt_client, alice, slots[5]["id"], hall.item.code)).status_code == 201


async def test_another_citizens_booking_is_not_found(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    _, mallory = await citizen(appt_settings, "mallory")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    booked = (await book(appt_client, alice, slots[0]["id"], hall.item.code)).json()
    assert_error(
        await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=mallory),
        404,
        "NOT_FOUND",
    )
    assert_error(
        await appt_client.get(f"/api/v1/appointments/{booked['id']}", headers=mallory), 404, "NOT_FOUND"
    )
    assert (await appt_client.get("/api/v1/appointments", headers=mallory)).json() == {
        "total": 0,
        "items": [],
    }
    assert (await Appointment.get(id=booked["id"])).status == "booked"
    assert_error(
        await appt_client.post("/api/v1/appointments/999999999/cancel", headers=alice), 404, "NOT_FOUND"
    )
    # no token, or a staff token: not a citizen's call
    assert_error(
        await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel"), 401, "UNAUTHENTICATED"
    )


async def test_weekly_limit_counts_bookings_not_cancelled(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    second = await make_item(hall.department)
    third = await make_item(hall.department)
    await hall.group.items.add(second, third)
    user_id, alice = await citizen(appt_settings, "alice")
    tuesday = await slots_on(appt_client, hall.item.code, TUESDAY)
    wednesday = await slots_on(appt_client, second.code, WEDNESDAY)
    first = await book(appt_client, alice, tuesday[0]["id"], hall.item.code)
    assert first.status_code == 201
    assert (await book(appt_client, alice, wednesday[0]["id"], second.code)).status_code == 201
    refused = assert_error(
        await book(appt_client, alice, wednesday[1]["id"], third.code), 409, "BOOKING_LIMIT_REACHED"
    )
    assert refused["details"]["weekly_limit"] == 2
    # the refused attempt left nothing behind
    assert (await Slot.get(id=wednesday[1]["id"])).booked == 0
    assert await Appointment.filter(user_id=user_id).count() == 2
    # the next ISO week is another week
    next_week = await slots_on(appt_client, third.code, date(2026, 10, 8))
    assert (await book(appt_client, alice, next_week[0]["id"], third.code)).status_code == 201
    # cancelling gives the week's place back
    assert (
        await appt_client.post(f"/api/v1/appointments/{first.json()['id']}/cancel", headers=alice)
    ).status_code == 200
    assert (await book(appt_client, alice, wednesday[1]["id"], third.code)).status_code == 201
    quota = await WeeklyQuota.get(user_id=user_id, week=MONDAY_BEFORE_NATIONAL_DAY.date())
    assert quota.booked == 2


async def test_horizon_and_lead_time(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)  # 09:00
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    today = await slots_on(appt_client, hall.item.code, MONDAY_BEFORE_NATIONAL_DAY.date())
    # 09:00 and 09:30 start within the hour: no longer offered
    assert today[0]["start"] == "2026-09-28T10:00:00+08:00"
    await ensure_slots([hall.group.id], MONDAY_BEFORE_NATIONAL_DAY.date(), "workday")
    too_soon = await Slot.get(
        group_id=hall.group.id,
        date=MONDAY_BEFORE_NATIONAL_DAY.date(),
        starts_at=clock.now() + timedelta(minutes=30),
    )
    refused = assert_error(
        await book(appt_client, alice, too_soon.id, hall.item.code), 409, "OUTSIDE_BOOKING_WINDOW"
    )
    assert refused["details"]["last_day"] == "2026-10-12"
    assert (await book(appt_client, alice, today[0]["id"], hall.item.code)).status_code == 201

    far_day = date(2026, 10, 13)  # 15 days ahead: beyond the 14-day horizon
    await ensure_slots([hall.group.id], far_day, "workday")
    far = await Slot.filter(group_id=hall.group.id, date=far_day).first()
    assert_error(await book(appt_client, alice, far.id, hall.item.code), 409, "OUTSIDE_BOOKING_WINDOW")
    clock.set_now(datetime(2026, 9, 29, 9, 0, tzinfo=clock.CST))  # a day later it opens
    assert (await book(appt_client, alice, far.id, hall.item.code)).status_code == 201


async def test_cancel_cut_off(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    booked = (await book(appt_client, alice, slots[0]["id"], hall.item.code)).json()  # Tue 09:00
    clock.set_now(datetime(2026, 9, 29, 7, 1, tzinfo=clock.CST))
    refused = assert_error(
        await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice),
        409,
        "CANCEL_TOO_LATE",
    )
    assert refused["details"]["deadline"] == "2026-09-29T07:00+08:00"
    assert (await Appointment.get(id=booked["id"])).status == "booked"
    clock.set_now(datetime(2026, 9, 29, 7, 0, tzinfo=clock.CST))
    assert (
        await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice)
    ).status_code == 200


async def test_wrong_item_or_slot(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    other_hall = await make_hall(prefix="B")
    _, alice = await citizen(appt_settings, "alice")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    # a slot of a group that does not serve the item
    assert_error(await book(appt_client, alice, slots[0]["id"], other_hall.item.code), 404, "NOT_FOUND")
    assert_error(await book(appt_client, alice, 999_999, hall.item.code), 404, "NOT_FOUND")
    assert_error(await book(appt_client, alice, slots[0]["id"], "NO-SUCH-ITEM"), 404, "NOT_FOUND")


async def test_bad_payloads_are_422(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, alice = await citizen(appt_settings, "alice")
    for body in (
        {},
        {"slot_id": 0, "item_code": hall.item.code},
        {"slot_id": 2**40, "item_code": hall.item.code},
        {"slot_id": "one", "item_code": hall.item.code},
        {"slot_id": 1, "item_code": "x" * 65},
        {"slot_id": 1, "item_code": hall.item.code, "extra": 1},
    ):
        resp = await appt_client.post("/api/v1/appointments", json=body, headers=alice)
        assert_error(resp, 422, "VALIDATION_ERROR")
    resp = await appt_client.get("/api/v1/appointments", params={"status": "weird"}, headers=alice)
    assert_error(resp, 422, "VALIDATION_ERROR")


async def test_booking_attempts_are_throttled(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    _, bot = await citizen(appt_settings, "bot")
    _, alice = await citizen(appt_settings, "alice")
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    statuses = [(await book(appt_client, bot, 999_999, hall.item.code)).status_code for _ in range(10)]
    assert statuses == [404] * 10
    assert_error(await book(appt_client, bot, slots[0]["id"], hall.item.code), 429, "RATE_LIMITED")
    # another citizen is not affected
    assert (await book(appt_client, alice, slots[0]["id"], hall.item.code)).status_code == 201
