"""Rushes on PostgreSQL: every place given exactly once, every citizen a clear answer, never a 500."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime

from citizen_api import clock
from citizen_api.appointments.models import Appointment, QueueTicket, Slot, WaitlistEntry, WeeklyQuota
from notifications.models import Notification
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    citizens,
    make_hall,
    make_item,
    slots_on,
    staff,
)

pytest_plugins = ["tests.appointments_plugin"]  # pg_client, pg_settings

TUESDAY = date(2026, 9, 29)
SMALL = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 5}]


async def test_a_rush_of_250_citizens_books_exactly_the_capacity(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=SMALL)
    rush = await citizens(pg_settings, 250)
    (slot,) = await slots_on(pg_client, hall.item.code, TUESDAY)

    answers = await asyncio.gather(*(book(pg_client, h, slot["id"], hall.item.code) for h in rush))
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {201: 5, 409: 245}, statuses
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"SLOT_FULL"}
    assert (await Slot.get(id=slot["id"])).booked == 5
    assert await Appointment.filter(slot_id=slot["id"], status="booked").count() == 5
    assert await Notification.filter(event="appointment.booked").count() == 5
    remaining = {r.json()["slot"]["remaining"] for r in answers if r.status_code == 201}
    assert remaining == {0, 1, 2, 3, 4}  # each winner saw a different count: no place given twice


async def test_one_citizen_racing_for_one_day_gets_one_booking(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    user_id, alice = await citizen(pg_settings, "alice")
    slots = await slots_on(pg_client, hall.item.code, TUESDAY)
    answers = await asyncio.gather(*(book(pg_client, alice, s["id"], hall.item.code) for s in slots[:8]))
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {201: 1, 409: 7}, statuses
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"ALREADY_BOOKED"}
    assert sum(s.booked for s in await Slot.filter(group_id=hall.group.id)) == 1
    assert (await WeeklyQuota.get(user_id=user_id)).booked == 1


async def test_the_weekly_limit_holds_under_a_race(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    items = [await make_item(hall.department) for _ in range(6)]
    await hall.group.items.add(*items)
    user_id, alice = await citizen(pg_settings, "alice")
    slots = await slots_on(pg_client, hall.item.code, TUESDAY)
    answers = await asyncio.gather(*(book(pg_client, alice, slots[0]["id"], item.code) for item in items))
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {201: 2, 409: 4}, statuses
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"BOOKING_LIMIT_REACHED"}
    assert (await Slot.get(id=slots[0]["id"])).booked == 2
    assert await Appointment.filter(user_id=user_id).count() == 2


async def test_concurrent_cancellations_promote_each_waiter_exactly_once(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=[{**SMALL[0], "capacity": 3}])
    code = hall.item.code
    (slot,) = await slots_on(pg_client, code, TUESDAY)
    holders = await citizens(pg_settings, 3, "holder")
    held = [(await book(pg_client, h, slot["id"], code)).json()["id"] for h in holders]
    waiters = await citizens(pg_settings, 10, "waiter")
    for headers in waiters:
        resp = await pg_client.post(
            "/api/v1/appointments/waitlist", json={"slot_id": slot["id"], "item_code": code}, headers=headers
        )
        assert resp.status_code == 201, resp.text

    # every holder cancels at once, and each taps "cancel" twice
    cancels = [
        pg_client.post(f"/api/v1/appointments/{appointment}/cancel", headers=headers)
        for appointment, headers in zip(held, holders, strict=True)
        for _ in range(2)
    ]
    answers = await asyncio.gather(*cancels)
    assert Counter(r.status_code for r in answers) == {200: 3, 409: 3}

    entries = await WaitlistEntry.all().order_by("id")
    assert [e.status for e in entries] == ["promoted"] * 3 + ["waiting"] * 7  # the first three in line
    promoted = await Appointment.filter(source="waitlist", status="booked")
    assert sorted(a.user_id for a in promoted) == sorted(e.user_id for e in entries[:3])
    assert len({a.user_id for a in promoted}) == 3
    assert (await Slot.get(id=slot["id"])).booked == 3
    assert await Notification.filter(event="appointment.promoted").count() == 3


async def test_concurrent_check_ins_get_distinct_numbers(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(
        weekday_periods=[{"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 10}]
    )
    code = hall.item.code
    slots = await slots_on(pg_client, code, TUESDAY)
    people = await citizens(pg_settings, 24)
    ids = []
    for i, headers in enumerate(people):
        resp = await book(pg_client, headers, slots[i % 3]["id"], code)
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()["id"])
    clerks = [await staff(pg_settings, f"clerk{i}", "window", "GA") for i in range(4)]
    clock.set_now(datetime(2026, 9, 29, 8, 30, tzinfo=clock.CST))
    check_ins = [
        pg_client.post(f"/api/v1/staff/appointments/{appointment}/check-in", headers=clerks[i % 4])
        for i, appointment in enumerate(ids)
    ]
    walk_ins = [
        pg_client.post("/api/v1/staff/queue/walk-in", json={"group": hall.group.code}, headers=clerks[i % 4])
        for i in range(6)
    ]
    answers = await asyncio.gather(*check_ins, *walk_ins)
    assert {r.status_code for r in answers} <= {200, 201}, [r.text for r in answers if r.status_code >= 300]
    numbers = sorted(r.json().get("queue_number") or r.json()["number"] for r in answers)
    assert numbers == sorted([f"A{i:03d}" for i in range(1, 25)] + [f"AW{i:03d}" for i in range(1, 7)])
    assert await QueueTicket.all().count() == 30

    # four windows calling at once never call the same ticket; booked tickets go first
    calls = await asyncio.gather(
        *(
            pg_client.post(
                "/api/v1/staff/queue/call-next",
                json={"group": hall.group.code, "window": str(i)},
                headers=clerks[i % 4],
            )
            for i in range(28)
        )
    )
    called = [r.json()["number"] for r in calls if r.status_code == 200]
    assert len(called) == len(set(called)) == 28
    assert set(called) >= {f"A{i:03d}" for i in range(1, 25)}
