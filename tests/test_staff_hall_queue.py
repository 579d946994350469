"""The clerk's desk and the queue at the window: call-next records the desk's window number, the
queue shows waiting, called and serving tickets, and recall / serve / skip / finish walk a ticket.

Run on SQLite and PostgreSQL (``appt_client`` is built on ``database_url``).
"""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.appointments.models import Window
from citizen_api.users.models import User
from tests.appointments_fixtures import bearer, make_hall, staff
from tests.conftest import assert_error
from tests.test_staff_hall_lookup import MORNING, hall_with_window

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

QUEUE = "/api/v1/staff/queue"
DESK = "/api/v1/staff/me/desk"


async def clerk_account(settings, username: str, department: str | None = "GA", role: str = "window"):
    user = await User.create(role=role, username=username, department_code=department)
    return user.id, bearer(settings, user.id, role, department)


async def test_admin_seats_a_clerk_at_a_window(appt_client, appt_settings):
    hall, window = await hall_with_window("5")
    clerk_id, clerk = await clerk_account(appt_settings, "clerk")
    admin = await staff(appt_settings, "admin", "admin", None)
    unseated = await appt_client.get(DESK, headers=clerk)
    assert unseated.json() == {"window": None, "group": None, "idle_minutes": 30, "covering": []}

    url = f"/api/v1/staff/users/{clerk_id}/window"
    assert_error(await appt_client.put(url, json={"window_id": window.id}, headers=clerk), 403, "FORBIDDEN")
    seated = await appt_client.put(url, json={"window_id": window.id}, headers=admin)
    assert seated.status_code == 200, seated.text
    desk = (await appt_client.get(DESK, headers=clerk)).json()
    assert desk == seated.json() | {"idle_minutes": 30}
    assert desk["window"] == {"id": window.id, "number": "5", "name": "5号窗口"}
    assert desk["group"] == {"code": hall.group.code, "name": "A区窗口", "office_code": "SMZX"}

    unknown = await appt_client.put(url, json={"window_id": 999999}, headers=admin)
    assert assert_error(unknown, 422, "UNKNOWN_WINDOW")["details"] == {"window_id": 999999}
    nobody = await appt_client.put(
        "/api/v1/staff/users/999999/window", json={"window_id": window.id}, headers=admin
    )
    assert_error(nobody, 404, "NOT_FOUND")
    tax_hall = await make_hall(department_code="SW", prefix="B")
    tax_window = await Window.create(group=tax_hall.group, number="9")
    other = await appt_client.put(url, json={"window_id": tax_window.id}, headers=admin)
    assert_error(other, 409, "WINDOW_OF_OTHER_DEPARTMENT")
    assert_error(await appt_client.put(url, json={}, headers=admin), 422, "VALIDATION_ERROR")

    cleared = await appt_client.put(url, json={"window_id": None}, headers=admin)
    assert cleared.json()["window"] is None
    assert (await appt_client.get(DESK, headers=clerk)).json()["window"] is None


async def test_call_next_records_the_clerks_window(appt_client, appt_settings):
    hall, window = await hall_with_window("5")
    clerk_id, clerk = await clerk_account(appt_settings, "clerk")
    _, deskless = await clerk_account(appt_settings, "deskless")
    admin = await staff(appt_settings, "admin", "admin", None)
    await appt_client.put(
        f"/api/v1/staff/users/{clerk_id}/window", json={"window_id": window.id}, headers=admin
    )
    clock.set_now(MORNING)

    walk = await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)  # the desk's group
    assert walk.status_code == 201 and walk.json()["number"] == "AW001"
    # no desk and no window named: nothing is called (the ticket keeps waiting)
    for body in ({}, {"group": hall.group.code}):
        refused = await appt_client.post(f"{QUEUE}/call-next", json=body, headers=deskless)
        assert assert_error(refused, 409, "NO_WINDOW")["message"] == "未分配窗口"
    assert_error(await appt_client.get(QUEUE, headers=deskless), 409, "NO_WINDOW")

    called = await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk)
    assert called.status_code == 200, called.text
    assert (called.json()["number"], called.json()["status"], called.json()["window"]) == (
        "AW001",
        "called",
        "5",
    )
    queue = (await appt_client.get(QUEUE, headers=clerk)).json()
    assert queue["group"] == hall.group.code and queue["waiting"] == []
    assert [(t["number"], t["window"]) for t in queue["called"]] == [("AW001", "5")] and queue[
        "serving"
    ] == []

    # a window named in the body is recorded as given (a clerk standing in at another counter)
    await appt_client.post(f"{QUEUE}/walk-in", json={"group": hall.group.code}, headers=deskless)
    named = await appt_client.post(
        f"{QUEUE}/call-next", json={"group": hall.group.code, "window": "8"}, headers=deskless
    )
    assert named.json()["window"] == "8"


async def test_recall_serve_skip_finish(appt_client, appt_settings):
    _, window = await hall_with_window("5")
    clerk_id, clerk = await clerk_account(appt_settings, "clerk")
    admin = await staff(appt_settings, "admin", "admin", None)
    await appt_client.put(
        f"/api/v1/staff/users/{clerk_id}/window", json={"window_id": window.id}, headers=admin
    )
    clock.set_now(MORNING)
    for _ in range(2):
        await appt_client.post(f"{QUEUE}/walk-in", json={}, headers=clerk)
    first = (await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk)).json()

    clock.set_now(MORNING + timedelta(minutes=2))
    recalled = await appt_client.post(f"{QUEUE}/{first['id']}/recall", headers=clerk)
    assert recalled.status_code == 200, recalled.text
    assert recalled.json()["status"] == "called" and recalled.json()["window"] == "5"
    assert recalled.json()["called_at"] > first["called_at"]  # the TV shows it again

    served = await appt_client.post(f"{QUEUE}/{first['id']}/serve", headers=clerk)
    assert served.json()["status"] == "serving"
    queue = (await appt_client.get(QUEUE, headers=clerk)).json()
    assert [t["number"] for t in queue["serving"]] == ["AW001"] and [
        t["number"] for t in queue["waiting"]
    ] == ["AW002"]
    assert_error(await appt_client.post(f"{QUEUE}/{first['id']}/recall", headers=clerk), 409, "NOT_CALLED")
    done = await appt_client.post(f"{QUEUE}/{first['id']}/finish", headers=clerk)
    assert done.json()["status"] == "finished"
    again = assert_error(
        await appt_client.post(f"{QUEUE}/{first['id']}/finish", headers=clerk), 409, "NOT_IN_SERVICE"
    )
    assert again["details"] == {"status": "finished"}

    second = (await appt_client.post(f"{QUEUE}/call-next", json={}, headers=clerk)).json()
    skipped = await appt_client.post(f"{QUEUE}/{second['id']}/skip", headers=clerk)
    assert skipped.json()["status"] == "skipped"
    queue = (await appt_client.get(QUEUE, headers=clerk)).json()
    assert queue["waiting"] == queue["called"] == queue["serving"] == []

    # another department's clerk cannot touch the ticket; a supervisor only reads
    tax = await staff(appt_settings, "tax", "window", "SW")
    assert_error(await appt_client.post(f"{QUEUE}/{second['id']}/finish", headers=tax), 404, "NOT_FOUND")
    supervisor = await staff(appt_settings, "jiandu", "supervisor", None)
    assert_error(
        await appt_client.post(f"{QUEUE}/{second['id']}/recall", headers=supervisor), 403, "FORBIDDEN"
    )
    assert_error(await appt_client.post(f"{QUEUE}/999999/serve", headers=clerk), 404, "NOT_FOUND")
