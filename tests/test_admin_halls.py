"""The halls page: window ids for assigning clerks, and editing a group's windows keeps those assignments."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.catalog.models import Department
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, make_item, staff
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings


async def test_editing_windows_keeps_the_clerks_on_the_windows_that_stay(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    department = await Department.create(code="GA", name="公安局")
    item = await make_item(department)
    admin = await staff(appt_settings, "admin", "admin", None)
    office = {"code": "EAST", "name": "东区政务服务大厅"}
    assert (await appt_client.post("/api/v1/staff/offices", json=office, headers=admin)).status_code == 201
    group = {
        "office_code": "EAST",
        "code": "EAST-GA",
        "name": "户政窗口",
        "prefix": "H",
        "department_code": "GA",
        "item_codes": [item.code],
        "windows": [{"number": "5"}, {"number": "6"}],
    }
    made = await appt_client.post("/api/v1/staff/window-groups", json=group, headers=admin)
    assert made.status_code == 201, made.text
    windows = {w["number"]: w["id"] for w in made.json()["windows"]}
    assert set(windows) == {"5", "6"} and all(isinstance(i, int) for i in windows.values())

    # the offices list carries the same ids (the page assigns a clerk by one)
    offices = (await appt_client.get("/api/v1/staff/offices", headers=admin)).json()
    listed = {w["number"]: w["id"] for g in offices[0]["groups"] for w in g["windows"]}
    assert listed == windows

    clerk = await staff(appt_settings, "clerk", "window", "GA")
    clerk_id = (await appt_client.get("/api/v1/me", headers=clerk)).json()["id"]
    url = f"/api/v1/staff/users/{clerk_id}/window"
    assigned = await appt_client.put(url, json={"window_id": windows["5"]}, headers=admin)
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["window"]["number"] == "5"

    # window 5 renamed and opened on holiday-service days, 6 removed, 7 added: the clerk stays on 5
    fields = {k: group[k] for k in ("name", "prefix", "department_code", "item_codes")}
    edited = {
        **fields,
        "windows": [{"number": "5", "name": "户政 5 号", "opens_on_holiday_service": True}, {"number": "7"}],
    }
    group_url = f"/api/v1/staff/window-groups/{made.json()['id']}"
    resp = await appt_client.put(group_url, json=edited, headers=admin)
    assert resp.status_code == 200, resp.text
    after = {w["number"]: w for w in resp.json()["windows"]}
    assert set(after) == {"5", "7"}
    assert after["5"]["id"] == windows["5"] and after["5"]["name"] == "户政 5 号"
    assert after["5"]["opens_on_holiday_service"] is True
    desk = (await appt_client.get("/api/v1/staff/me/desk", headers=clerk)).json()
    assert desk["window"]["number"] == "5" and desk["group"]["code"] == "EAST-GA"

    # a removed window's id is gone: assigning it is refused with the API's code
    gone = await appt_client.put(url, json={"window_id": windows["6"]}, headers=admin)
    assert_error(gone, 422, "UNKNOWN_WINDOW")
