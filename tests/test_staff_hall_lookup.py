"""The hall's bookings at the workbench: today's list of the clerk's scope, look-up by phone tail, full
name or check-in code (masked rows), the citizen's check-in code, and check-in by a scanned code.

Run on SQLite and PostgreSQL (``appt_client`` is built on ``database_url``).
"""

from __future__ import annotations

from datetime import date, datetime

from citizen_api import clock
from citizen_api.appointments.models import Window
from citizen_api.security.identity import id_check_char
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, citizen, make_hall, slots_on, staff
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)
MORNING = datetime(2026, 9, 29, 8, 40, tzinfo=clock.CST)
ID_BASES = ["11010519900307123", "11010519491231002", "44030819880101001"]
BOOKINGS = "/api/v1/staff/appointments"
CHECK_IN = "/api/v1/staff/appointments/check-in"


async def person(client, settings, login: str, name: str, phone: str, index: int = 0) -> dict:
    """A citizen with a real-name profile (name, ID number, phone) and a token."""
    user_id, headers = await citizen(settings, login)
    base = ID_BASES[index % len(ID_BASES)]
    body = {"name": name, "id_number": base + id_check_char(base), "phone": phone}
    resp = await client.put("/api/v1/me/profile", json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    return {"id": user_id, "headers": headers, "name": name, "phone": phone}


async def booked(client, hall, who: dict, day: date = TUESDAY, slot: int = 0) -> dict:
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    slots = await slots_on(client, hall.item.code, day)
    resp = await book(client, who["headers"], slots[slot]["id"], hall.item.code)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def hall_with_window(number: str = "5"):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    window = await Window.create(group=hall.group, number=number, name=f"{number}号窗口")
    return hall, window


async def test_the_citizen_sees_the_check_in_code(appt_client, appt_settings):
    hall, _ = await hall_with_window()
    alice = await person(appt_client, appt_settings, "alice", "王小明", "13812345678")
    booking = await booked(appt_client, hall, alice)
    detail = (await appt_client.get(f"/api/v1/appointments/{booking['id']}", headers=alice["headers"])).json()
    listed = (await appt_client.get("/api/v1/appointments", headers=alice["headers"])).json()["items"]
    assert len(detail["check_in_code"]) == 10 and detail["check_in_code"] == booking["check_in_code"]
    assert [b["check_in_code"] for b in listed] == [detail["check_in_code"]]


async def test_bookings_of_the_day_by_tail_name_and_code(appt_client, appt_settings):
    hall, _ = await hall_with_window()
    alice = await person(appt_client, appt_settings, "alice", "王小明", "13812345678", 0)
    bob = await person(appt_client, appt_settings, "bob", "李四", "13900001111", 1)
    one = await booked(appt_client, hall, alice, slot=0)
    two = await booked(appt_client, hall, bob, slot=1)
    await booked(appt_client, hall, bob, day=WEDNESDAY)  # another day: not in Tuesday's list
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    clock.set_now(MORNING)

    everything = await appt_client.get(BOOKINGS, headers=clerk)
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert body["total"] == 2 and [r["id"] for r in body["items"]] == [one["id"], two["id"]]
    first = body["items"][0]
    assert first["applicant_name"] == "王*明" and first["phone"] == "138****5678"
    assert (first["item_code"], first["status"], first["status_text"]) == (hall.item.code, "booked", "已预约")
    assert first["check_in_code"] == one["check_in_code"] and first["queue_number"] is None
    assert first["window_group"] == hall.group.code and first["slot"]["start"].endswith("+08:00")
    assert "13812345678" not in everything.text and "王小明" not in everything.text

    async def found(q: str, **params) -> list[int]:
        resp = await appt_client.get(BOOKINGS, params={"q": q, **params}, headers=clerk)
        assert resp.status_code == 200, resp.text
        return [r["id"] for r in resp.json()["items"]]

    assert await found("5678") == [one["id"]]
    assert await found("1111") == [two["id"]]
    assert await found("王小明") == [one["id"]]
    assert await found(" 李四 ") == [two["id"]]
    assert await found(one["check_in_code"].lower()) == [one["id"]]
    assert await found("0000") == [] and await found("王小") == []  # the full name, not a part
    assert await found("1111", date=WEDNESDAY.isoformat()) != []
    assert (await appt_client.get(BOOKINGS, params={"date": "2026-09-28"}, headers=clerk)).json()[
        "total"
    ] == 0

    # a clerk of another department sees nothing of them, by no key
    tax = await staff(appt_settings, "tax", "window", "SW")
    for params in ({}, {"q": "5678"}, {"q": "王小明"}, {"q": one["check_in_code"]}):
        resp = await appt_client.get(BOOKINGS, params=params, headers=tax)
        assert resp.json() == {"total": 0, "items": []}, params
    # the centre sees every group
    supervisor = await staff(appt_settings, "jiandu", "supervisor", None)
    assert (await appt_client.get(BOOKINGS, headers=supervisor)).json()["total"] == 2
    assert_error(await appt_client.get(BOOKINGS, headers=alice["headers"]), 403, "FORBIDDEN")
    bad = await appt_client.get(BOOKINGS, params={"q": "x" * 33}, headers=clerk)
    assert "query.q" in assert_error(bad, 422, "VALIDATION_ERROR")["details"]["fields"]


async def test_check_in_by_a_scanned_code(appt_client, appt_settings):
    hall, _ = await hall_with_window()
    alice = await person(appt_client, appt_settings, "alice", "王小明", "13812345678", 0)
    bob = await person(appt_client, appt_settings, "bob", "李四", "13900001111", 1)
    carol = await person(appt_client, appt_settings, "carol", "赵六", "13700002222", 2)
    today = await booked(appt_client, hall, alice)
    tomorrow = await booked(appt_client, hall, bob, day=WEDNESDAY)
    cancelled = await booked(appt_client, hall, carol, slot=2)
    await appt_client.post(f"/api/v1/appointments/{cancelled['id']}/cancel", headers=carol["headers"])
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    clock.set_now(MORNING)

    # what a USB scanner types: the code, maybe lower case, then Enter
    scanned = f"  {today['check_in_code'].lower()}\r\n"
    first = await appt_client.post(CHECK_IN, json={"code": scanned}, headers=clerk)
    assert first.status_code == 200, first.text
    assert first.json() == {"appointment_id": today["id"], "queue_number": "A001", "window_group": "A区窗口"}
    again = await appt_client.post(CHECK_IN, json={"code": today["check_in_code"]}, headers=clerk)
    assert again.json()["queue_number"] == "A001"  # scanned twice: the same number
    mine = (await appt_client.get(f"/api/v1/appointments/{today['id']}", headers=alice["headers"])).json()
    assert (mine["status"], mine["queue_number"]) == ("checked_in", "A001")
    row = (await appt_client.get(BOOKINGS, params={"q": "5678"}, headers=clerk)).json()["items"][0]
    assert (row["status"], row["status_text"], row["queue_number"]) == ("checked_in", "已签到", "A001")

    for wrong in ("ABCDEFGHJK", "not-a-code", "1"):
        error = assert_error(
            await appt_client.post(CHECK_IN, json={"code": wrong}, headers=clerk), 404, "NOT_FOUND"
        )
        assert error["message"] == "签到码无效"
    late = await appt_client.post(CHECK_IN, json={"code": tomorrow["check_in_code"]}, headers=clerk)
    assert assert_error(late, 409, "NOT_TODAY")["details"] == {"date": WEDNESDAY.isoformat()}
    gone = await appt_client.post(CHECK_IN, json={"code": cancelled["check_in_code"]}, headers=clerk)
    assert_error(gone, 409, "NOT_CHECKABLE")
    tax = await staff(appt_settings, "tax", "window", "SW")
    other = await appt_client.post(CHECK_IN, json={"code": tomorrow["check_in_code"]}, headers=tax)
    assert assert_error(other, 404, "NOT_FOUND")["message"] == "签到码无效"
    supervisor = await staff(appt_settings, "jiandu", "supervisor", None)
    assert_error(
        await appt_client.post(CHECK_IN, json={"code": scanned}, headers=supervisor), 403, "FORBIDDEN"
    )
    empty = await appt_client.post(CHECK_IN, json={"code": ""}, headers=clerk)
    assert_error(empty, 422, "VALIDATION_ERROR")
