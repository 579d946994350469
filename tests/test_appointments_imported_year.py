"""A year the calendar library does not know becomes bookable the way an office makes it so: the admin
imports the State Council's schedule over the API (POST /staff/calendar/import), and a citizen then
books its 调休 make-up Sunday over HTTP, while its 春节 days say why they are closed."""

from __future__ import annotations

from datetime import datetime, time

from citizen_api import clock
from tests.appointments_fixtures import book, citizen, make_hall, slots_on, staff
from tests.calendar_years import FAR_TOKENS, UNKNOWN, schedule, unknown

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings


async def _days(client, item_code: str, start, end) -> dict[str, dict]:
    resp = await client.get(
        "/api/v1/appointments/days",
        params={"item_code": item_code, "from": start.isoformat(), "to": end.isoformat()},
    )
    assert resp.status_code == 200, resp.text
    return {day["date"]: day for day in resp.json()}


async def test_the_imported_years_makeup_sunday_is_booked_over_http(appt_client, appt_settings):
    settings = appt_settings.model_copy(update=FAR_TOKENS)  # tokens minted now, used decades ahead
    admin = await staff(settings, "calendar-admin", "admin", None)
    _, alice = await citizen(settings, "alice")
    # Monday of 春节 week in UNKNOWN (laid out like 2027: 春节 Sat 6 – Sat 13 Feb, make-up Sun 14)
    clock.set_now(datetime.combine(unknown(2, 8), time(9), tzinfo=clock.CST))
    hall = await make_hall()

    before = await _days(appt_client, hall.item.code, unknown(2, 8), unknown(2, 15))
    assert {day["reason"] for day in before.values()} == {"年度安排未公布"}  # nothing guessed

    resp = await appt_client.post(
        "/api/v1/staff/calendar/import", params={"dry_run": "false"}, json=schedule(UNKNOWN), headers=admin
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["applied"] is True

    after = await _days(appt_client, hall.item.code, unknown(2, 8), unknown(2, 15))
    for day in range(8, 14):
        shown = after[unknown(2, day).isoformat()]
        assert (shown["kind"], shown["available"], shown["reason"]) == ("closed", False, "法定节假日（春节）")
    sunday = after[unknown(2, 14).isoformat()]
    assert (sunday["kind"], sunday["available"], sunday["reason"]) == ("workday", True, None)
    assert after[unknown(2, 15).isoformat()]["available"] is True  # the Monday after

    slots = await slots_on(appt_client, hall.item.code, unknown(2, 14))
    assert len(slots) == 13  # the weekday template: 09:00–12:00 and 13:30–17:00 by half hours
    booked = await book(appt_client, alice, slots[0]["id"], hall.item.code)
    assert booked.status_code == 201, booked.text
    assert booked.json()["status"] == "booked"
    assert booked.json()["date"] == unknown(2, 14).isoformat()
    assert booked.json()["slot"]["start"] == f"{unknown(2, 14)}T09:00:00+08:00"
    mine = await appt_client.get("/api/v1/appointments", headers=alice)
    assert [a["date"] for a in mine.json()["items"]] == [unknown(2, 14).isoformat()]
