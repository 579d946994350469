"""Admin set-up of halls, window groups and schedules; the demo seed."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments.models import ScheduleTemplate, WindowGroup
from citizen_api.appointments.seed import seed
from citizen_api.catalog.models import Department
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_item,
    slots_on,
    staff,
)
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY, WEDNESDAY = date(2026, 9, 29), date(2026, 9, 30)
MORNING = {"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 2}


async def test_admin_sets_up_a_hall_and_its_schedule(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    department = await Department.create(code="GA", name="公安局")
    item = await make_item(department)
    admin = await staff(appt_settings, "admin", "admin", None)
    clerk = await staff(appt_settings, "clerk", "window", "GA")

    office = {"code": "EAST", "name": "东区政务服务大厅", "address": "东大街 1 号"}
    assert_error(
        await appt_client.post("/api/v1/staff/offices", json=office, headers=clerk), 403, "FORBIDDEN"
    )
    created = await appt_client.post("/api/v1/staff/offices", json=office, headers=admin)
    assert created.status_code == 201, created.text
    assert_error(
        await appt_client.post("/api/v1/staff/offices", json=office, headers=admin), 409, "ALREADY_EXISTS"
    )

    group = {
        "office_code": "EAST",
        "code": "EAST-GA",
        "name": "户政窗口",
        "prefix": "H",
        "department_code": "GA",
        "item_codes": [item.code],
        "windows": [{"number": "5", "opens_on_holiday_service": True}, {"number": "6"}],
    }
    unknown = await appt_client.post(
        "/api/v1/staff/window-groups", json={**group, "item_codes": ["NOPE"]}, headers=admin
    )
    assert assert_error(unknown, 422, "UNKNOWN_ITEMS")["details"]["missing"] == ["NOPE"]
    bad_prefix = await appt_client.post(
        "/api/v1/staff/window-groups", json={**group, "prefix": "h1"}, headers=admin
    )
    assert_error(bad_prefix, 422, "VALIDATION_ERROR")
    made = await appt_client.post("/api/v1/staff/window-groups", json=group, headers=admin)
    assert made.status_code == 201, made.text
    group_id = made.json()["id"]
    assert made.json()["item_codes"] == [item.code] and len(made.json()["windows"]) == 2

    url = f"/api/v1/staff/window-groups/{group_id}/schedule"
    for bad in (
        {"weekly": {"mon": [MORNING, {**MORNING, "start": "11:00", "end": "13:00"}]}},  # overlap
        {"weekly": {"mon": [{**MORNING, "start": "25:00"}]}},
        {"weekly": {"mon": [{**MORNING, "capacity": 0}]}},
        {"weekly": {"mon": [{**MORNING, "end": "09:30"}]}},  # shorter than one slot
        {"weekly": {"someday": [MORNING]}},
    ):
        assert_error(await appt_client.put(url, json=bad, headers=admin), 422, "VALIDATION_ERROR")
    weekly = {day: [MORNING] for day in ("mon", "tue", "wed", "thu", "fri")}
    put = await appt_client.put(url, json={"weekly": weekly, "holiday_service": []}, headers=admin)
    assert put.status_code == 200, put.text
    assert (await appt_client.get(url, headers=admin)).json()["weekly"]["tue"] == [MORNING]

    tuesday = await slots_on(appt_client, item.code, TUESDAY)
    assert [(s["start"][11:16], s["capacity"]) for s in tuesday] == [("09:00", 2), ("10:00", 2), ("11:00", 2)]
    await slots_on(appt_client, item.code, WEDNESDAY)
    _, alice = await citizen(appt_settings, "alice")
    assert (await book(appt_client, alice, tuesday[0]["id"], item.code)).status_code == 201

    # new hours: the untouched Wednesday is remade, the booked Tuesday keeps its slots
    afternoon = {"start": "14:00", "end": "16:00", "slot_minutes": 30, "capacity": 4}
    weekly = {day: [afternoon] for day in ("mon", "tue", "wed", "thu", "fri")}
    put = await appt_client.put(url, json={"weekly": weekly}, headers=admin)
    assert put.json()["dropped_slots"] == 3
    wednesday = await slots_on(appt_client, item.code, WEDNESDAY)
    assert [s["start"][11:16] for s in wednesday] == ["14:00", "14:30", "15:00", "15:30"]
    assert [s["start"][11:16] for s in await slots_on(appt_client, item.code, TUESDAY)] == [
        "09:00",
        "10:00",
        "11:00",
    ]

    listed = await appt_client.get("/api/v1/staff/offices", headers=admin)
    assert listed.json()[0]["groups"][0]["code"] == "EAST-GA"
    renamed = await appt_client.put(
        f"/api/v1/staff/window-groups/{group_id}",
        json={k: v for k, v in group.items() if k not in ("office_code", "code")} | {"name": "户籍窗口"},
        headers=admin,
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "户籍窗口"


async def test_seed_is_idempotent_and_copes_without_items(appt_client, appt_settings):
    first = await seed(appt_settings)
    assert "no bookable items" in first
    assert await WindowGroup.filter(code="SMZX-GENERAL").exists()

    department = await Department.create(code="GA", name="公安局")
    item = await make_item(department)
    await make_item(department, bookable=False)
    await seed(appt_settings)
    await seed(appt_settings)
    group = await WindowGroup.get(code="SMZX-GA").prefetch_related("items")
    assert [i.code for i in group.items] == [item.code]
    assert await ScheduleTemplate.filter(group=group).count() == 6  # mon–fri and holiday service
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    slots = await slots_on(appt_client, item.code, TUESDAY)
    assert len(slots) == 13 and {s["capacity"] for s in slots} == {3}
