"""GET /appointments/slots and /days answers are shared for a second of the service clock (what
thousands of phones poll before a release): this process's own bookings show at once, a change
committed elsewhere (another API process) shows in the next second — never later."""

from __future__ import annotations

from datetime import date, timedelta

from tortoise.expressions import F

from citizen_api import clock
from citizen_api.appointments.models import Slot
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, citizen, make_hall, slots_on

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

TUESDAY = date(2026, 9, 29)
TWO_PLACES = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 2}]


async def _remaining(client, code: str) -> int:
    [slot] = await slots_on(client, code, TUESDAY)
    return slot["remaining"]


async def _tuesday_available(client, code: str) -> bool:
    params = {"item_code": code, "from": TUESDAY.isoformat(), "to": TUESDAY.isoformat()}
    [day] = (await client.get("/api/v1/appointments/days", params=params)).json()
    return day["available"]


async def test_own_bookings_show_at_once_and_other_processes_within_a_second(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)  # the service clock stands still: one second
    hall = await make_hall(weekday_periods=TWO_PLACES)
    code = hall.item.code
    assert await _remaining(appt_client, code) == 2 and await _tuesday_available(appt_client, code)

    # booked through this process: its next listing shows it, in the same second
    _, alice = await citizen(appt_settings, "alice")
    [slot] = await slots_on(appt_client, code, TUESDAY)
    assert (await book(appt_client, alice, slot["id"], code)).status_code == 201
    assert await _remaining(appt_client, code) == 1 and await _tuesday_available(appt_client, code)

    # the last place taken by another process (its commit, not this process's): the shared answer
    # stands for the rest of the second, the next second shows it
    await Slot.filter(id=slot["id"]).update(booked=F("booked") + 1)
    assert await _remaining(appt_client, code) == 1
    assert await _tuesday_available(appt_client, code)
    clock.advance(timedelta(seconds=1))
    assert await _remaining(appt_client, code) == 0
    assert not await _tuesday_available(appt_client, code)
