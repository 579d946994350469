"""The waiting list: join a full slot, see the position, get the place when someone cancels."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments.models import Appointment, Slot, WaitlistEntry
from notifications.models import Notification
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    slots_on,
)
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY = date(2026, 9, 29)
ONE_PLACE = [{"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 1}]


async def join(client, headers, slot_id, item_code):
    return await client.post(
        "/api/v1/appointments/waitlist", json={"slot_id": slot_id, "item_code": item_code}, headers=headers
    )


async def test_cancellation_hands_the_place_to_the_first_waiter(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=ONE_PLACE)
    code = hall.item.code
    _, alice = await citizen(appt_settings, "alice")
    bob_id, bob = await citizen(appt_settings, "bob")
    carol_id, carol = await citizen(appt_settings, "carol")
    slot = (await slots_on(appt_client, code, TUESDAY))[0]

    assert_error(await join(appt_client, bob, slot["id"], code), 409, "SLOT_AVAILABLE")
    booked = (await book(appt_client, alice, slot["id"], code)).json()
    full = assert_error(await book(appt_client, bob, slot["id"], code), 409, "SLOT_FULL")
    assert full["details"]["waitlist"] is True

    first = await join(appt_client, bob, slot["id"], code)
    assert first.status_code == 201, first.text
    assert first.json()["position"] == 1 and first.json()["status"] == "waiting"
    assert (await join(appt_client, carol, slot["id"], code)).json()["position"] == 2
    assert_error(await join(appt_client, bob, slot["id"], code), 409, "ALREADY_WAITING")

    resp = await appt_client.post(f"/api/v1/appointments/{booked['id']}/cancel", headers=alice)
    assert resp.status_code == 200, resp.text
    # the place went to bob, not back to the public
    assert (await Slot.get(id=slot["id"])).booked == 1
    bobs = await appt_client.get("/api/v1/appointments", headers=bob)
    assert bobs.json()["total"] == 1
    promoted = bobs.json()["items"][0]
    assert (promoted["status"], promoted["source"], promoted["slot"]["id"]) == (
        "booked",
        "waitlist",
        slot["id"],
    )
    note = await Notification.get(user_id=bob_id, event="appointment.promoted")
    assert note.payload["start"] == "09:00" and note.payload["date"] == "2026-09-29"
    waits = (await appt_client.get("/api/v1/appointments/waitlist", headers=bob)).json()
    assert waits[0]["status"] == "promoted" and waits[0]["appointment_id"] == promoted["id"]
    carols = (await appt_client.get("/api/v1/appointments/waitlist", headers=carol)).json()
    assert carols[0]["position"] == 1

    # bob cancels in turn: carol is next
    assert (
        await appt_client.post(f"/api/v1/appointments/{promoted['id']}/cancel", headers=bob)
    ).status_code == 200
    assert await Appointment.filter(user_id=carol_id, status="booked", source="waitlist").count() == 1
    # nobody left waiting: the next cancellation frees the place
    carols_booking = await Appointment.get(user_id=carol_id)
    await appt_client.post(f"/api/v1/appointments/{carols_booking.id}/cancel", headers=carol)
    assert (await Slot.get(id=slot["id"])).booked == 0


async def test_waiters_who_no_longer_qualify_are_skipped(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(
        weekday_periods=[{"start": "09:00", "end": "11:00", "slot_minutes": 60, "capacity": 1}]
    )
    code = hall.item.code
    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    carol_id, carol = await citizen(appt_settings, "carol")
    nine, ten = await slots_on(appt_client, code, TUESDAY)
    held = (await book(appt_client, alice, nine["id"], code)).json()
    await join(appt_client, bob, nine["id"], code)
    await join(appt_client, carol, nine["id"], code)
    # bob meanwhile booked the same item that day at ten: he no longer needs nine
    assert (await book(appt_client, bob, ten["id"], code)).status_code == 201

    await appt_client.post(f"/api/v1/appointments/{held['id']}/cancel", headers=alice)
    assert [e.status for e in await WaitlistEntry.all().order_by("id")] == ["skipped", "promoted"]
    assert await Appointment.exists(user_id=carol_id, slot_id=nine["id"], status="booked")


async def test_leave_the_waiting_list(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=ONE_PLACE)
    code = hall.item.code
    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    _, mallory = await citizen(appt_settings, "mallory")
    slot = (await slots_on(appt_client, code, TUESDAY))[0]
    held = (await book(appt_client, alice, slot["id"], code)).json()
    entry = (await join(appt_client, bob, slot["id"], code)).json()
    url = f"/api/v1/appointments/waitlist/{entry['id']}/leave"
    assert_error(await appt_client.post(url, headers=mallory), 404, "NOT_FOUND")
    left = await appt_client.post(url, headers=bob)
    assert left.status_code == 200 and left.json()["status"] == "left"
    assert_error(await appt_client.post(url, headers=bob), 409, "NOT_WAITING")
    await appt_client.post(f"/api/v1/appointments/{held['id']}/cancel", headers=alice)
    assert (await Slot.get(id=slot["id"])).booked == 0
    assert (await appt_client.get("/api/v1/appointments", headers=bob)).json()["total"] == 0
