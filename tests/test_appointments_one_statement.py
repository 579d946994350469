"""A citizen's booking on PostgreSQL is one statement (appointments/repository/one_statement.py):
what it writes is whole — the place, the week's count, the booking and its message — or nothing."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments.models import Appointment, Slot, WeeklyQuota
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

pytest_plugins = ["tests.appointments_plugin"]  # pg_client, pg_settings

TUESDAY = date(2026, 9, 29)


async def test_a_booking_writes_its_place_count_and_message_together(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    user_id, alice = await citizen(pg_settings, "alice")
    slot = (await slots_on(pg_client, hall.item.code, TUESDAY))[0]

    answer = await book(pg_client, alice, slot["id"], hall.item.code)
    assert answer.status_code == 201, answer.text
    booked = answer.json()
    assert booked["status"] == "booked" and booked["slot"]["remaining"] == slot["remaining"] - 1
    detail = (await pg_client.get(f"/api/v1/appointments/{booked['id']}", headers=alice)).json()
    assert detail["check_in_code"] == booked["check_in_code"]  # the code in the row is the one answered
    (message,) = await Notification.filter(user_id=user_id, event="appointment.booked")
    assert message.payload["appointment_id"] == booked["id"]
    assert message.payload["item_name"] == hall.item.name and message.payload["date"] == "2026-09-29"


async def test_a_refusal_after_the_place_was_taken_leaves_nothing(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    others = [await make_item(hall.department) for _ in range(2)]
    await hall.group.items.add(*others)
    user_id, alice = await citizen(pg_settings, "alice")
    slot = (await slots_on(pg_client, hall.item.code, TUESDAY))[0]
    for item in (hall.item, others[0]):  # the weekly limit is 2
        assert (await book(pg_client, alice, slot["id"], item.code)).status_code == 201

    # the third passes every read and takes the place inside the statement, then meets the limit
    assert_error(await book(pg_client, alice, slot["id"], others[1].code), 409, "BOOKING_LIMIT_REACHED")
    assert (await Slot.get(id=slot["id"])).booked == 2
    assert (await WeeklyQuota.get(user_id=user_id)).booked == 2
    assert await Appointment.filter(user_id=user_id).count() == 2
    assert await Notification.filter(user_id=user_id, event="appointment.booked").count() == 2
