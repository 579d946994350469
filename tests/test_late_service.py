"""延时服务: after the hall closes no new number is given, the citizens already waiting are still
called and served, a window serving late is marked (by its button or by its first call after
closing), the hall TV names those windows, and a window cannot stop while people still wait.

Run on SQLite and PostgreSQL (``appt_client`` is built on ``database_url``).
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import httpx

from citizen_api import clock
from citizen_api.appointments.models import Window
from citizen_api.audit.models import AuditLog
from tests.appointments_fixtures import staff
from tests.auth_fixtures import serve
from tests.conftest import assert_error, make_settings
from tests.test_staff_hall_feed import LONG_TOKENS, NO_WECHAT, tv
from tests.test_staff_hall_lookup import booked, hall_with_window, person
from tests.test_staff_hall_queue import clerk_account

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

QUEUE = "/api/v1/staff/queue"
LATE = "/api/v1/staff/late-service"
FEED = "/api/v1/hall/SMZX/feed"
TUESDAY = datetime(2026, 9, 29, 0, 0, tzinfo=clock.CST)  # the hall's weekday hours end at 17:00


def at(hour: int, minute: int = 0) -> datetime:
    return TUESDAY + timedelta(hours=hour, minutes=minute)


async def seated(client, settings, username: str, window: Window):
    clerk_id, headers = await clerk_account(settings, username)
    admin = await staff(settings, f"admin-{username}", "admin", None)
    seat = await client.put(
        f"/api/v1/staff/users/{clerk_id}/window", json={"window_id": window.id}, headers=admin
    )
    assert seat.status_code == 200, seat.text
    return headers


async def test_after_closing_the_waiting_are_served_and_no_new_number_is_given(appt_client, appt_settings):
    hall, window = await hall_with_window("5")
    clerk = await seated(appt_client, appt_settings, "clerk", window)
    alice = await person(appt_client, appt_settings, "alice", "王小明", "13812345678")
    booking = await booked(appt_client, hall, alice)

    clock.set_now(at(16, 50))
    before = (await appt_client.get(LATE, headers=clerk)).json()
    assert before["closes_at"].startswith("2026-09-29T17:00:00") and before["closing_source"] == "hours"
    assert (before["after_close"], before["waiting"], before["windows"]) == (False, 0, [])
    numbers = [
        (await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)).json()["number"]
        for _ in range(3)
    ]
    assert numbers == ["AW001", "AW002", "AW003"]

    clock.set_now(at(17, 0))  # closing time: the numbers given stay, no new one
    refused = assert_error(
        await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk), 409, "HALL_CLOSED"
    )
    assert "17:00" in refused["message"] and "继续办理" in refused["message"]
    assert refused["details"]["closes_at"].startswith("2026-09-29T17:00:00")
    late_check_in = await appt_client.post(
        f"/api/v1/staff/appointments/{booking['id']}/check-in", headers=clerk
    )
    assert_error(late_check_in, 409, "HALL_CLOSED")
    status = (await appt_client.get(LATE, headers=clerk)).json()
    assert (status["after_close"], status["waiting"], status["windows"]) == (True, 3, [])

    # the first call after closing marks the window as serving late; the TV names it
    clock.set_now(at(17, 5))
    called = await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk)
    assert called.status_code == 200 and called.json()["number"] == "AW001"
    status = (await appt_client.get(LATE, headers=clerk)).json()
    assert (status["waiting"], status["windows"]) == (2, ["5"])
    assert (await appt_client.get(FEED)).json()["late_windows"] == ["5"]

    # it cannot stop while two still wait and no other window of the group carries on
    ended = assert_error(
        await appt_client.post(f"{LATE}/end", json={}, headers=clerk), 409, "LATE_QUEUE_WAITING"
    )
    assert ended["details"] == {"waiting": 2} and "2 位群众" in ended["message"]
    for _ in range(2):
        ticket = (await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk)).json()
        assert (await appt_client.post(f"{QUEUE}/{ticket['id']}/finish", headers=clerk)).status_code == 200
    clock.set_now(at(17, 40))
    done = await appt_client.post(f"{LATE}/end", json={}, headers=clerk)
    assert done.status_code == 200, done.text
    assert (done.json()["waiting"], done.json()["windows"]) == (0, [])
    assert (await appt_client.get(FEED)).json()["late_windows"] == []
    actions = await AuditLog.filter(action__startswith="queue.late_service").values_list("action", flat=True)
    assert sorted(actions) == ["queue.late_service_end", "queue.late_service_start"]

    supervisor = await staff(appt_settings, "boss", "supervisor", None)
    report = await appt_client.get(f"{LATE}/report", params={"date": "2026-09-29"}, headers=supervisor)
    assert report.status_code == 200, report.text
    (group,) = report.json()["groups"]
    assert (
        group["issued"],
        group["waiting_at_close"],
        group["served_after_close"],
        group["still_waiting"],
    ) == (3, 3, 3, 0)
    assert group["minutes_past_close"] == 5  # the last call came at 17:05
    (row,) = group["windows"]
    assert (row["window"], row["automatic"]) == ("5", True) and row["ended_at"].startswith("2026-09-29T17:40")


async def test_a_second_window_carries_on_and_the_first_may_stop(appt_client, appt_settings):
    hall, five = await hall_with_window("5")
    six = await Window.create(group=hall.group, number="6", name="6号窗口")
    clerk5 = await seated(appt_client, appt_settings, "five", five)
    clerk6 = await seated(appt_client, appt_settings, "six", six)
    clock.set_now(at(16, 30))
    for _ in range(2):
        await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk5)
    # a clerk can announce before closing that their window stays (the button)
    started = await appt_client.post(f"{LATE}/start", json={}, headers=clerk6)
    assert started.status_code == 200 and started.json()["windows"] == ["6"]
    again = await appt_client.post(f"{LATE}/start", json={}, headers=clerk6)  # a second tap changes nothing
    assert again.json()["windows"] == ["6"]
    assert await AuditLog.filter(action="queue.late_service_start").count() == 1

    clock.set_now(at(17, 10))
    await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk5)  # window 5 serves late too
    assert (await appt_client.get(FEED)).json()["late_windows"] == ["5", "6"]
    stop5 = await appt_client.post(f"{LATE}/end", json={}, headers=clerk5)  # 6 carries on for the last one
    assert stop5.status_code == 200 and stop5.json()["windows"] == ["6"] and stop5.json()["waiting"] == 1
    assert_error(await appt_client.post(f"{LATE}/end", json={}, headers=clerk6), 409, "LATE_QUEUE_WAITING")
    supervisor = await staff(appt_settings, "boss", "supervisor", None)
    report = (await appt_client.get(f"{LATE}/report", headers=supervisor)).json()
    rows = {r["window"]: r for r in report["groups"][0]["windows"]}
    assert rows["6"]["automatic"] is False and rows["6"]["ended_at"] is None
    assert rows["5"]["automatic"] is True and rows["5"]["ended_at"] is not None


async def test_late_service_bad_inputs(appt_client, appt_settings):
    hall, window = await hall_with_window("5")
    clerk = await seated(appt_client, appt_settings, "clerk", window)
    _, deskless = await clerk_account(appt_settings, "deskless")
    _, tax_clerk = await clerk_account(appt_settings, "tax", department="SW")
    citizen = await person(appt_client, appt_settings, "alice", "王小明", "13812345678")
    clock.set_now(at(10, 0))
    assert_error(await appt_client.post(f"{LATE}/start", json={}, headers=deskless), 409, "NO_WINDOW")
    assert_error(await appt_client.get(LATE, headers=deskless), 409, "NO_WINDOW")
    assert_error(
        await appt_client.post(f"{LATE}/start", json={"window_id": 999999}, headers=clerk), 404, "NOT_FOUND"
    )
    other = await appt_client.post(f"{LATE}/start", json={"window_id": window.id}, headers=tax_clerk)
    if hall.group.department_code is not None:
        assert_error(other, 404, "NOT_FOUND")
    assert_error(
        await appt_client.post(f"{LATE}/start", json={"window_id": "x"}, headers=clerk),
        422,
        "VALIDATION_ERROR",
    )
    assert_error(
        await appt_client.post(f"{LATE}/start", json={"extra": 1}, headers=clerk), 422, "VALIDATION_ERROR"
    )
    assert_error(
        await appt_client.post(f"{LATE}/start", json={}, headers=citizen["headers"]), 403, "FORBIDDEN"
    )
    assert_error(
        await appt_client.get(f"{LATE}/report", params={"date": "29-09"}, headers=clerk),
        422,
        "VALIDATION_ERROR",
    )
    # before closing a window may stop late service even with people waiting (the day goes on)
    await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)
    await appt_client.post(f"{LATE}/start", json={}, headers=clerk)
    assert (await appt_client.post(f"{LATE}/end", json={}, headers=clerk)).json()["windows"] == []


async def test_a_group_without_hours_closes_at_the_default(appt_client, appt_settings):
    _, window = await hall_with_window("5")
    clerk = await seated(appt_client, appt_settings, "clerk", window)
    clock.set_now(datetime(2026, 10, 3, 17, 0, tzinfo=clock.CST))  # 国庆: the group has no hours that day
    status = (await appt_client.get(LATE, headers=clerk)).json()
    assert status["closing_source"] == "default" and status["closes_at"].startswith("2026-10-03T17:30:00")
    assert status["after_close"] is False
    assert (await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)).status_code == 201


async def next_event(lines, name: str) -> dict:
    while True:
        line = await asyncio.wait_for(lines.get(), 30)  # a guard against a hang, never asserted on
        if line == f"event: {name}":
            data = await asyncio.wait_for(lines.get(), 30)
            return json.loads(data[len("data: ") :])


async def test_the_hall_tv_is_told_which_windows_serve_late(tmp_path, database_url):
    settings = make_settings(tmp_path, database_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS)
    async with (
        serve(settings) as server,  # in this process: the frozen clock holds for the server
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as client,
    ):
        _, window = await hall_with_window("5")
        clerk = await seated(client, settings, "clerk", window)
        clock.set_now(at(16, 55))
        assert (await client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)).status_code == 201
        async with tv(server.base_url) as lines:
            clock.set_now(at(17, 2))
            await client.post(f"{QUEUE}/call-next", json={}, headers=clerk)
            assert await next_event(lines, "late") == {"late_windows": ["5"]}
            assert (await next_event(lines, "called"))["number"] == "AW001"
            await client.post(f"{LATE}/end", json={}, headers=clerk)
            assert await next_event(lines, "late") == {"late_windows": []}
