"""GET /appointments/days says why a day cannot be booked (reason), and has its final shape."""

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
from tests.calendar_years import UNKNOWN, import_known_year, known, new_year_only, unknown

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

ONE_SLOT_A_DAY = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 1}]


async def days(client, item_code: str, start: str, end: str) -> dict[str, dict]:
    resp = await client.get(
        "/api/v1/appointments/days", params={"item_code": item_code, "from": start, "to": end}
    )
    assert resp.status_code == 200, resp.text
    return {d["date"]: d for d in resp.json()}


def said(day: dict) -> tuple[str, bool, str | None]:
    return day["kind"], day["available"], day["reason"]


async def test_reasons_around_national_day(appt_client):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)  # horizon 14 days: bookable up to 2026-10-12
    hall = await make_hall()
    shown = await days(appt_client, hall.item.code, "2026-09-24", "2026-10-16")
    assert said(shown["2026-09-28"]) == ("workday", True, None)
    assert said(shown["2026-09-24"]) == ("workday", False, "已过预约截止时间")  # last Thursday
    # the 中秋 days just past: a closed day says why it is closed, past or not
    assert said(shown["2026-09-25"]) == ("closed", False, "法定节假日（中秋）")
    for day in range(1, 8):  # weekend days inside the holiday carry its name too
        assert said(shown[f"2026-10-0{day}"]) == ("closed", False, "法定节假日（国庆节）")
    assert said(shown["2026-10-10"]) == ("workday", True, None)  # the 调休 Saturday is worked
    assert said(shown["2026-10-11"]) == ("closed", False, "周末")
    assert said(shown["2026-10-12"]) == ("workday", True, None)
    assert said(shown["2026-10-13"]) == ("workday", False, "超出可预约范围")
    assert said(shown["2026-10-16"]) == ("workday", False, "超出可预约范围")
    # a closed day beyond the horizon says why it is closed, the more useful of the two
    later = await days(appt_client, hall.item.code, "2026-10-17", "2026-10-18")
    assert said(later["2026-10-17"]) == ("closed", False, "周末")
    # the fields a later issue fills are already there, with today's values
    assert {(d["opens_at"], d["allocation"]) for d in shown.values()} == {(None, "first_come")}


async def test_admin_closed_day_and_a_full_day(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=ONE_SLOT_A_DAY)
    admin = await staff(appt_settings, "admin1", "admin", None)
    resp = await appt_client.put(
        "/api/v1/staff/calendar/2026-09-30", json={"kind": "closed", "note": "系统升级"}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    shown = await days(appt_client, hall.item.code, "2026-09-29", "2026-09-30")
    assert said(shown["2026-09-29"]) == ("workday", True, None)
    assert said(shown["2026-09-30"]) == ("closed", False, "闭厅（系统升级）")

    _, alice = await citizen(appt_settings, "alice")
    (only,) = await slots_on(appt_client, hall.item.code, date(2026, 9, 29))
    booked = await book(appt_client, alice, only["id"], hall.item.code)
    assert booked.status_code == 201, booked.text
    shown = await days(appt_client, hall.item.code, "2026-09-29", "2026-09-29")
    assert said(shown["2026-09-29"]) == ("workday", False, "已约满")
    # a place given back makes the day bookable again
    resp = await appt_client.post(f"/api/v1/appointments/{booked.json()['id']}/cancel", headers=alice)
    assert resp.status_code == 200, resp.text
    shown = await days(appt_client, hall.item.code, "2026-09-29", "2026-09-29")
    assert said(shown["2026-09-29"]) == ("workday", True, None)


async def test_today_after_the_last_slot_and_a_day_without_schedule(appt_client):
    clock.set_now(datetime(2026, 9, 28, 16, 0, tzinfo=clock.CST))  # last slot 16:30, one hour lead
    hall = await make_hall()
    shown = await days(appt_client, hall.item.code, "2026-09-28", "2026-09-29")
    assert said(shown["2026-09-28"]) == ("workday", False, "今日已截止")
    assert said(shown["2026-09-29"]) == ("workday", True, None)
    # an item no window group serves: open days have no slots to offer
    orphan = await make_item(hall.department)
    shown = await days(appt_client, orphan.code, "2026-09-29", "2026-09-29")
    assert said(shown["2026-09-29"]) == ("workday", False, "该日无可预约时段")


async def test_a_year_before_its_schedule_is_imported(appt_client):
    # UNKNOWN: a year the installed chinese-calendar does not know, after KNOWN, an imported year
    # (tests/calendar_years.py)
    await import_known_year()
    clock.set_now(datetime.combine(known(12, 28), time(9), tzinfo=clock.CST))
    hall = await make_hall()
    shown = await days(appt_client, hall.item.code, f"{known(12, 31)}", f"{unknown(1, 4)}")
    assert said(shown[f"{known(12, 31)}"]) == ("workday", True, None)
    for day in (unknown(1, 1), unknown(1, 2), unknown(1, 4)):
        assert said(shown[f"{day}"]) == ("closed", False, "年度安排未公布")

    from citizen_api.workdays import cache
    from citizen_api.workdays.schedule import parse
    from citizen_api.workdays.service import import_schedule

    await import_schedule(parse(new_year_only(UNKNOWN)))
    cache.expire_check()
    shown = await days(appt_client, hall.item.code, f"{unknown(1, 1)}", f"{unknown(1, 4)}")
    assert said(shown[f"{unknown(1, 1)}"]) == ("closed", False, "法定节假日（元旦）")
    assert said(shown[f"{unknown(1, 2)}"]) == ("closed", False, "周末")
    assert said(shown[f"{unknown(1, 4)}"]) == ("workday", True, None)
