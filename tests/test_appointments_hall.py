"""At the hall: check-in and queue numbers, booked before walk-ins, no-shows and suspension, reminders."""

from __future__ import annotations

from datetime import date, datetime

from citizen_api import clock
from citizen_api.appointments.reminders import run_reminders
from notifications.models import Notification
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    slots_on,
    staff,
)
from tests.conftest import assert_error
from tests.job_runs import run_job

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY = date(2026, 9, 29)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.CST)


async def _booked(client, settings, hall, names: list[str], day: date = TUESDAY, slot: int = 0) -> list[dict]:
    slots = await slots_on(client, hall.item.code, day)
    out = []
    for name in names:
        _, headers = await citizen(settings, name)
        resp = await book(client, headers, slots[slot]["id"], hall.item.code)
        assert resp.status_code == 201, resp.text
        out.append({**resp.json(), "headers": headers})
    return out


async def test_check_in_queue_numbers_and_booked_first(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    alice, bob = await _booked(appt_client, appt_settings, hall, ["alice", "bob"])
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    url = "/api/v1/staff/appointments/{}/check-in"

    assert_error(await appt_client.post(url.format(alice["id"]), headers=clerk), 409, "NOT_TODAY")
    clock.set_now(at(TUESDAY, 8, 40))
    walk = await appt_client.post(
        "/api/v1/staff/queue/walk-in", json={"group": hall.group.code}, headers=clerk
    )
    assert walk.status_code == 201, walk.text
    assert walk.json()["number"] == "AW001" and walk.json()["kind"] == "walk_in"

    first = await appt_client.post(url.format(bob["id"]), headers=clerk)
    assert first.status_code == 200, first.text
    assert first.json()["queue_number"] == "A001"
    second = await appt_client.post(url.format(alice["id"]), headers=clerk)
    assert second.json()["queue_number"] == "A002"
    # tapping again gives the same number, not a new one
    assert (await appt_client.post(url.format(alice["id"]), headers=clerk)).json()["queue_number"] == "A002"
    mine = await appt_client.get(f"/api/v1/appointments/{alice['id']}", headers=alice["headers"])
    assert mine.json()["status"] == "checked_in" and mine.json()["queue_number"] == "A002"

    queue = await appt_client.get("/api/v1/staff/queue", params={"group": hall.group.code}, headers=clerk)
    assert [t["number"] for t in queue.json()["waiting"]] == ["A001", "A002", "AW001"]
    calls = []
    for _ in range(3):
        resp = await appt_client.post(
            "/api/v1/staff/queue/call-next", json={"group": hall.group.code, "window": "3"}, headers=clerk
        )
        assert resp.status_code == 200, resp.text
        calls.append(resp.json()["number"])
    assert calls == ["A001", "A002", "AW001"]  # booked citizens first, although the walk-in came earlier
    empty = await appt_client.post(
        "/api/v1/staff/queue/call-next", json={"group": hall.group.code, "window": "3"}, headers=clerk
    )
    assert_error(empty, 409, "QUEUE_EMPTY")

    # a cancelled booking cannot be checked in
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    (carol,) = await _booked(appt_client, appt_settings, hall, ["carol"], slot=3)
    await appt_client.post(f"/api/v1/appointments/{carol['id']}/cancel", headers=carol["headers"])
    clock.set_now(at(TUESDAY, 9, 0))
    assert_error(await appt_client.post(url.format(carol["id"]), headers=clerk), 409, "NOT_CHECKABLE")


async def test_staff_scope_and_roles(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    (alice,) = await _booked(appt_client, appt_settings, hall, ["alice"])
    clock.set_now(at(TUESDAY, 8, 50))
    url = f"/api/v1/staff/appointments/{alice['id']}/check-in"
    other_department = await staff(appt_settings, "tax", "window", "SW")
    supervisor = await staff(appt_settings, "jiandu", "supervisor", None)
    admin = await staff(appt_settings, "admin", "admin", None)
    assert_error(await appt_client.post(url, headers=other_department), 404, "NOT_FOUND")
    assert_error(await appt_client.post(url, headers=supervisor), 403, "FORBIDDEN")
    assert_error(await appt_client.post(url, headers=alice["headers"]), 403, "FORBIDDEN")
    queue = await appt_client.get(
        "/api/v1/staff/queue", params={"group": hall.group.code}, headers=other_department
    )
    assert_error(queue, 404, "NOT_FOUND")
    assert (await appt_client.post(url, headers=admin)).json()["queue_number"] == "A001"
    looked = await appt_client.get(
        "/api/v1/staff/queue", params={"group": hall.group.code}, headers=supervisor
    )
    assert [t["number"] for t in looked.json()["waiting"]] == ["A001"]


async def test_no_shows_suspend_booking(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    second_item_day = date(2026, 9, 30)
    _, alice = await citizen(appt_settings, "alice")
    tuesday = await slots_on(appt_client, hall.item.code, TUESDAY)
    wednesday = await slots_on(appt_client, hall.item.code, second_item_day)
    one = (await book(appt_client, alice, tuesday[0]["id"], hall.item.code)).json()
    two = (await book(appt_client, alice, wednesday[0]["id"], hall.item.code)).json()
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    url = "/api/v1/staff/appointments/{}/no-show"

    clock.set_now(at(TUESDAY, 8, 59))
    assert_error(await appt_client.post(url.format(one["id"]), headers=clerk), 409, "TOO_EARLY")
    clock.set_now(at(TUESDAY, 9, 45))
    first = await appt_client.post(url.format(one["id"]), headers=clerk)
    assert first.status_code == 200, first.text
    assert first.json() == {"appointment_id": one["id"], "status": "no_show", "suspended_until": None}
    assert_error(await appt_client.post(url.format(one["id"]), headers=clerk), 409, "NOT_BOOKED")

    clock.set_now(at(second_item_day, 10, 0))
    second = await appt_client.post(url.format(two["id"]), headers=clerk)
    assert second.json()["suspended_until"] == "2026-12-29"  # 90 days from 2026-09-30

    clock.set_now(at(date(2026, 10, 8), 9, 0))
    slots = await slots_on(appt_client, hall.item.code, date(2026, 10, 9))
    refused = assert_error(
        await book(appt_client, alice, slots[0]["id"], hall.item.code), 403, "BOOKING_SUSPENDED"
    )
    assert refused["details"]["until"] == "2026-12-29"
    assert "2026-12-29" in refused["message"]
    # the suspension ends on its date
    clock.set_now(at(date(2026, 12, 29), 9, 0))
    slots = await slots_on(appt_client, hall.item.code, date(2026, 12, 30))
    assert (await book(appt_client, alice, slots[0]["id"], hall.item.code)).status_code == 201


async def test_reminders_day_before_and_hour_before(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    alice, bob = await _booked(appt_client, appt_settings, hall, ["alice", "bob"], slot=2)  # Tue 10:00
    await appt_client.post(f"/api/v1/appointments/{bob['id']}/cancel", headers=bob["headers"])

    evening = MONDAY_BEFORE_NATIONAL_DAY.date()
    assert await run_job(run_reminders, appt_settings, at(evening, 17, 59)) == 0
    assert await run_job(run_reminders, appt_settings, at(evening, 18, 0)) == 1
    assert await run_job(run_reminders, appt_settings, at(evening, 18, 5)) == 0  # written once
    day = await Notification.get(event="appointment.reminder_day")
    assert day.dedupe_key == f"reminder:day:{alice['id']}"
    assert (day.payload["date"], day.payload["start"]) == ("2026-09-29", "10:00")

    assert await run_job(run_reminders, appt_settings, at(TUESDAY, 8, 59)) == 0
    assert await run_job(run_reminders, appt_settings, at(TUESDAY, 9, 0)) == 1
    assert await run_job(run_reminders, appt_settings, at(TUESDAY, 9, 30)) == 0
    hour = await Notification.get(event="appointment.reminder_hour")
    assert hour.dedupe_key == f"reminder:hour:{alice['id']}"
    # the cancelled booking got no reminder
    assert await Notification.filter(event__startswith="appointment.reminder").count() == 2
