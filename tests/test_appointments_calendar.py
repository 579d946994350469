"""Which days are offered: 国庆 closed, the 调休 Saturday open, admin-opened holidays, unknown years."""

from __future__ import annotations

from datetime import date, datetime, time

from citizen_api import clock
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    make_item,
    slots_on,
    staff,
)
from tests.calendar_years import FAR_TOKENS, UNKNOWN, import_known_year, known, new_year_only, unknown
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings


async def days(client, item_code: str, start: str, end: str) -> dict[str, dict]:
    resp = await client.get(
        "/api/v1/appointments/days", params={"item_code": item_code, "from": start, "to": end}
    )
    assert resp.status_code == 200, resp.text
    return {d["date"]: d for d in resp.json()}


async def test_national_day_is_closed_and_the_makeup_saturday_is_open(appt_client):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    shown = await days(appt_client, hall.item.code, "2026-09-28", "2026-10-12")
    assert len(shown) == 15
    for day in ("2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-12"):
        assert shown[day]["kind"] == "workday" and shown[day]["available"], shown[day]
    for day in range(1, 8):
        national_day = shown[f"2026-10-0{day}"]
        assert national_day == {**national_day, "kind": "closed", "available": False}
        assert national_day["name"] == "国庆节"
    assert shown["2026-10-10"]["kind"] == "workday"  # 调休: the Saturday after 国庆 is worked
    assert shown["2026-10-10"]["available"] is True
    assert shown["2026-10-11"]["kind"] == "closed"  # an ordinary Sunday

    slots = await slots_on(appt_client, hall.item.code, date(2026, 10, 10))
    # the weekday template: 09:00–12:00 and 13:30–17:00 in 30-minute slots, lunch break between
    assert [s["start"][11:16] for s in slots] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30",
    ]  # fmt: skip
    assert slots[0]["start"] == "2026-10-10T09:00:00+08:00"
    assert slots[0]["end"] == "2026-10-10T09:30:00+08:00"
    assert {(s["capacity"], s["remaining"]) for s in slots} == {(3, 3)}
    assert await slots_on(appt_client, hall.item.code, date(2026, 10, 3)) == []


async def test_admin_opened_holiday_has_the_holiday_template(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    admin = await staff(appt_settings, "admin1", "admin", None)
    resp = await appt_client.put(
        "/api/v1/staff/calendar/2026-10-03",
        json={"kind": "holiday_service", "note": "国庆预约服务"},
        headers=admin,
    )
    assert resp.status_code == 200, resp.text

    shown = await days(appt_client, hall.item.code, "2026-10-01", "2026-10-05")
    assert shown["2026-10-03"]["kind"] == "holiday_service" and shown["2026-10-03"]["available"]
    assert shown["2026-10-02"]["kind"] == "closed"
    slots = await slots_on(appt_client, hall.item.code, date(2026, 10, 3))
    assert [s["start"][11:16] for s in slots] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert {s["capacity"] for s in slots} == {1}  # fewer places on a holiday-service day

    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    first = await book(appt_client, alice, slots[0]["id"], hall.item.code)
    assert first.status_code == 201, first.text
    assert first.json()["slot"]["remaining"] == 0
    assert_error(await book(appt_client, bob, slots[0]["id"], hall.item.code), 409, "SLOT_FULL")

    # closing the day again withdraws its slots, even ones already made
    resp = await appt_client.put(
        "/api/v1/staff/calendar/2026-10-03", json={"kind": "closed", "note": "临时闭厅"}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    assert await slots_on(appt_client, hall.item.code, date(2026, 10, 3)) == []
    assert_error(await book(appt_client, bob, slots[1]["id"], hall.item.code), 409, "DAY_CLOSED")


async def test_unknown_year_is_not_offered_until_opened_or_imported(appt_client, appt_settings):
    # UNKNOWN: a year the installed chinese-calendar does not know, after KNOWN, an imported year
    # (tests/calendar_years.py); the admin's token is minted before the clock jumps there
    admin = await staff(appt_settings.model_copy(update=FAR_TOKENS), "admin1", "admin", None)
    await import_known_year()
    clock.set_now(datetime.combine(known(12, 28), time(9), tzinfo=clock.CST))
    hall = await make_hall()
    shown = await days(appt_client, hall.item.code, f"{known(12, 28)}", f"{unknown(1, 8)}")
    assert shown[f"{known(12, 31)}"]["kind"] == "workday"
    assert all(shown[f"{unknown(1, d)}"]["kind"] == "closed" for d in range(1, 9))
    assert await slots_on(appt_client, hall.item.code, unknown(1, 4)) == []

    resp = await appt_client.put(
        f"/api/v1/staff/calendar/{unknown(1, 4)}", json={"kind": "workday", "note": "照常办公"}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    shown = await days(appt_client, hall.item.code, f"{unknown(1, 4)}", f"{unknown(1, 5)}")
    assert shown[f"{unknown(1, 4)}"]["kind"] == "workday" and shown[f"{unknown(1, 4)}"]["available"]
    assert shown[f"{unknown(1, 5)}"]["kind"] == "closed"

    from citizen_api.workdays import cache
    from citizen_api.workdays.schedule import parse
    from citizen_api.workdays.service import import_schedule

    await import_schedule(parse(new_year_only(UNKNOWN)))
    cache.expire_check()
    shown = await days(appt_client, hall.item.code, f"{unknown(1, 1)}", f"{unknown(1, 8)}")
    assert shown[f"{unknown(1, 1)}"]["kind"] == "closed"
    assert shown[f"{unknown(1, 5)}"]["kind"] == "workday" and shown[f"{unknown(1, 5)}"]["available"]
    assert len(await slots_on(appt_client, hall.item.code, unknown(1, 5))) == 13


async def test_days_and_slots_refuse_bad_input(appt_client):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    other = await make_item(hall.department, bookable=False)
    url = "/api/v1/appointments/days"
    assert_error(await appt_client.get(url, params={"item_code": "NOPE"}), 404, "NOT_FOUND")
    assert_error(await appt_client.get(url, params={"item_code": other.code}), 409, "NOT_BOOKABLE")
    bad = [
        {"item_code": hall.item.code, "from": "2026-10-10", "to": "2026-10-01"},
        {"item_code": hall.item.code, "from": "2026-10-01", "to": "2027-10-01"},
        {"item_code": hall.item.code, "from": "2026-13-01"},
        {"item_code": "x" * 65},
        {},
    ]
    for params in bad:
        assert_error(await appt_client.get(url, params=params), 422, "VALIDATION_ERROR")
    slots_url = "/api/v1/appointments/slots"
    assert_error(
        await appt_client.get(slots_url, params={"item_code": hall.item.code}), 422, "VALIDATION_ERROR"
    )
    # outside the booking horizon: nothing to book
    far = await appt_client.get(slots_url, params={"item_code": hall.item.code, "date": "2026-11-30"})
    assert far.status_code == 200 and far.json() == []
    # a day before today is not bookable either
    past = await appt_client.get(slots_url, params={"item_code": hall.item.code, "date": "2026-09-25"})
    assert past.status_code == 200 and past.json() == []
