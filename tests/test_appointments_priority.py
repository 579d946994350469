"""适老化: a booked citizen aged 60 or more (birth date from the real-name ID number) gets a priority
queue number at check-in ("AY001"), called before every other number of the group; the hall TV
shows it as is; ``queue_priority_age = 0`` turns it off."""

from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, citizen, make_hall, slots_on, staff
from tests.conftest import make_settings

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

TUESDAY = date(2026, 9, 29)
MORNING = datetime(2026, 9, 29, 8, 40, tzinfo=clock.CST)
TURNED_60_YESTERDAY = "110101196609281234"  # born 1966-09-28: 60 on Tuesday 2026-09-29
TURNS_60_TOMORROW = "110101196609301234"  # born 1966-09-30: still 59
YOUNG = "110101199501011234"
CHECK_IN = "/api/v1/staff/appointments/{}/check-in"
CALL_NEXT = "/api/v1/staff/queue/call-next"


async def _book_all(client, settings, hall, id_numbers: list[str]) -> list[int]:
    slots = await slots_on(client, hall.item.code, TUESDAY)
    ids = []
    for n, id_number in enumerate(id_numbers):
        _, headers = await citizen(settings, f"c{n}", id_number=id_number)
        resp = await book(client, headers, slots[0]["id"], hall.item.code)
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()["id"])
    return ids


async def test_citizens_of_60_or_more_get_a_priority_number_called_first(appt_client, appt_settings):
    client = appt_client
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    young, almost, elder = await _book_all(
        client, appt_settings, hall, [YOUNG, TURNS_60_TOMORROW, TURNED_60_YESTERDAY]
    )
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    clock.set_now(MORNING)
    walk = await client.post("/api/v1/staff/queue/walk-in", json={"group": hall.group.code}, headers=clerk)
    assert walk.json()["number"] == "AW001"

    numbers = []
    for appointment_id in (young, almost):
        resp = await client.post(CHECK_IN.format(appointment_id), headers=clerk)
        assert resp.status_code == 200, resp.text
        numbers.append(resp.json()["queue_number"])
    code = (await client.get(f"/api/v1/staff/appointments?date={TUESDAY}", headers=clerk)).json()
    elder_code = next(a["check_in_code"] for a in code["items"] if a["id"] == elder)
    by_code = await client.post(
        "/api/v1/staff/appointments/check-in", json={"code": elder_code}, headers=clerk
    )
    assert by_code.status_code == 200, by_code.text
    numbers.append(by_code.json()["queue_number"])
    assert numbers == ["A001", "A002", "AY001"]

    queue = (await client.get("/api/v1/staff/queue", params={"group": hall.group.code}, headers=clerk)).json()
    assert [(t["number"], t["kind"]) for t in queue["waiting"]] == [
        ("AY001", "priority"),
        ("A001", "booked"),
        ("A002", "booked"),
        ("AW001", "walk_in"),
    ]
    first = await client.post(CALL_NEXT, json={"group": hall.group.code, "window": "5"}, headers=clerk)
    assert first.json()["number"] == "AY001"  # the elder came last and is called first
    feed = (await client.get(f"/api/v1/hall/{hall.office.code}/feed")).json()
    assert feed["called"][0]["number"] == "AY001" and feed["called"][0]["window"] == "5"


@pytest.fixture
async def no_priority_client(tmp_path, database_url):
    settings = make_settings(
        tmp_path,
        database_url,
        "http://127.0.0.1:9",
        access_token_ttl_seconds=365 * 24 * 3600,
        queue_priority_age=0,
    )
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
            yield client, settings


async def test_priority_numbers_turned_off(no_priority_client):
    client, settings = no_priority_client
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    (elder,) = await _book_all(client, settings, hall, [TURNED_60_YESTERDAY])
    clerk = await staff(settings, "clerk", "window", "GA")
    clock.set_now(MORNING)
    resp = await client.post(CHECK_IN.format(elder), headers=clerk)
    assert resp.status_code == 200, resp.text
    assert resp.json()["queue_number"] == "A001"
