"""AB角, the absence: when 王敏 (A) is marked absent, her called number goes to 李强's (B) window —
the hall TV shows window 7 when he re-calls it — his call-next also draws from her window group,
she cannot call numbers (409 STAFF_ABSENT), and he is told by a staff message; when she is back his
cover ends and both are told. NO_BACKUP, BACKUP_ABSENT, ALREADY_ABSENT, NOT_ABSENT and who may mark
whom are refused clearly. Over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from citizen_api.staffing.models import Absence
from notifications.models import Notification
from tests.conftest import assert_error
from tests.staffing_fixtures import USERS, clerk, manager, two_desks
from tests.test_staff_hall_lookup import MORNING

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

QUEUE = "/api/v1/staff/queue"
DESK = "/api/v1/staff/me/desk"
FEED = "/api/v1/hall/SMZX/feed"


async def _walk_in(client, who, group: str) -> str:
    resp = await client.post(f"{QUEUE}/walk-in", json={"group": group}, headers=who.headers)
    assert resp.status_code == 201, resp.text
    return resp.json()["number"]


async def test_absent_clerks_queue_goes_to_the_backup_and_comes_back(appt_client, appt_settings):
    hall_a, hall_b, a, b, _ = await two_desks(appt_client, appt_settings)
    chief = await manager(appt_settings)
    clock.set_now(MORNING)
    for _ in range(3):
        await _walk_in(appt_client, a, hall_a.group.code)  # AW001 … AW003
    await _walk_in(appt_client, b, hall_b.group.code)  # BW001
    called = await appt_client.post(f"{QUEUE}/call-next", json={}, headers=a.headers)
    assert (called.json()["number"], called.json()["window"]) == ("AW001", "5")

    absent = f"{USERS}/{a.id}/absence"
    no_backup = await appt_client.post(absent, json={"reason": "病假"}, headers=a.headers)
    assert "B 角" in assert_error(no_backup, 409, "NO_BACKUP")["message"]
    named = await appt_client.put(
        f"{USERS}/{a.id}/backup", json={"backup_user_id": b.id}, headers=chief.headers
    )
    assert named.status_code == 200, named.text
    # B may not mark A; A marks herself (a supervisor could too)
    assert_error(await appt_client.post(absent, json={"reason": "病假"}, headers=b.headers), 403, "FORBIDDEN")
    marked = await appt_client.post(absent, json={"reason": "病假"}, headers=a.headers)
    assert marked.status_code == 200, marked.text
    absence = marked.json()
    assert (absence["status"], absence["status_text"], absence["tickets"]) == ("absent", "缺岗", ["AW001"])
    assert (absence["window_group"], absence["summary"]) == ("A区窗口", "已转交 0 件、1 个号")
    assert_error(
        await appt_client.post(absent, json={"reason": "病假"}, headers=chief.headers), 409, "ALREADY_ABSENT"
    )

    # A calls nothing until she is back
    refused = await appt_client.post(f"{QUEUE}/call-next", json={}, headers=a.headers)
    assert "缺岗" in assert_error(refused, 409, "STAFF_ABSENT")["message"]
    ticket_id = called.json()["id"]
    assert_error(
        await appt_client.post(f"{QUEUE}/{ticket_id}/recall", headers=a.headers), 409, "STAFF_ABSENT"
    )

    # B's desk says whom he covers; his queue holds her group's numbers and her called one, at his window
    desk = (await appt_client.get(DESK, headers=b.headers)).json()
    assert desk["covering"] == [
        {"absent_user_id": a.id, "absent_name": "王敏", "group_code": "G-A", "group_name": "A区窗口"}
    ]
    queue = (await appt_client.get(QUEUE, params={"group": "G-B"}, headers=b.headers)).json()
    assert [t["number"] for t in queue["waiting"]] == ["AW002", "AW003", "BW001"]
    assert [(t["number"], t["window"]) for t in queue["called"]] == [("AW001", "7")]
    assert queue["covered_groups"] == ["G-A"]
    recalled = await appt_client.post(f"{QUEUE}/{ticket_id}/recall", headers=b.headers)
    assert recalled.status_code == 200, recalled.text
    tv = (await appt_client.get(FEED)).json()["called"]
    assert (tv[0]["number"], tv[0]["window"]) == ("AW001", "7")
    nxt = await appt_client.post(f"{QUEUE}/call-next", json={"group": "G-B", "window": ""}, headers=b.headers)
    assert (nxt.json()["number"], nxt.json()["window"]) == ("AW002", "7")

    (told,) = await Notification.filter(user_id=b.id, event="staff.cover_started")
    assert (told.audience, told.payload["absent_name"], told.payload["tickets"]) == ("staff", "王敏", 1)
    logged = await AuditLog.filter(action="staff.absence", object_id=str(a.id)).first()
    assert logged is not None and logged.details["tickets"] == ["AW001"]
    listed = (await appt_client.get("/api/v1/staff/backups", headers=chief.headers)).json()
    rows = {r["user"]["name"]: r for r in listed}
    assert rows["王敏"]["absence"]["summary"] == "已转交 0 件、1 个号"
    assert [c["name"] for c in rows["李强"]["covering"]] == ["王敏"]

    # back: B's cover ends (his queue is his group's again), she calls again, both are told
    back = await appt_client.post(f"{absent}/end", headers=chief.headers)
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["returned_case_ids"]) == ("returned", [])
    assert back.json()["ended_at"] is not None
    assert_error(await appt_client.post(f"{absent}/end", headers=a.headers), 409, "NOT_ABSENT")
    assert (await appt_client.get(DESK, headers=b.headers)).json()["covering"] == []
    queue = (await appt_client.get(QUEUE, params={"group": "G-B"}, headers=b.headers)).json()
    assert [t["number"] for t in queue["waiting"]] == ["BW001"] and queue["covered_groups"] == []
    again = await appt_client.post(f"{QUEUE}/call-next", json={}, headers=a.headers)
    assert (again.json()["number"], again.json()["window"]) == ("AW003", "5")
    assert await Notification.filter(user_id=b.id, event="staff.cover_ended").count() == 1
    assert await Notification.filter(user_id=a.id, event="staff.returned").count() == 1
    assert await AuditLog.filter(action="staff.return", object_id=str(a.id)).count() == 1


async def test_absence_refusals(appt_client, appt_settings):
    _, _, a, b, admin = await two_desks(appt_client, appt_settings)
    c = await clerk(appt_settings, "zhouli", "周丽")
    tax = await clerk(appt_settings, "taxman", "赵税", department="SW")
    for who, backup in ((a, b), (c, a)):
        resp = await appt_client.put(
            f"{USERS}/{who.id}/backup", json={"backup_user_id": backup.id}, headers=admin.headers
        )
        assert resp.status_code == 200, resp.text
    assert (
        await appt_client.post(f"{USERS}/{a.id}/absence", json={"reason": "培训"}, headers=a.headers)
    ).status_code == 200
    # C's backup is A, who is away: C cannot be marked absent until another backup is named
    busy = await appt_client.post(f"{USERS}/{c.id}/absence", json={"reason": "年假"}, headers=admin.headers)
    error = assert_error(busy, 409, "BACKUP_ABSENT")
    assert error["details"] == {"backup_user_id": a.id} and "王敏" in error["message"]
    assert_error(await appt_client.post(f"{USERS}/{b.id}/absence/end", headers=b.headers), 409, "NOT_ABSENT")
    url = f"{USERS}/{c.id}/absence"
    for body in ({}, {"reason": ""}, {"reason": "x" * 201}, {"reason": 5}, {"reason": "年假", "more": 1}):
        assert_error(await appt_client.post(url, json=body, headers=admin.headers), 422, "VALIDATION_ERROR")
    assert_error(
        await appt_client.post(f"{USERS}/999999/absence", json={"reason": "年假"}, headers=admin.headers),
        404,
        "NOT_FOUND",
    )
    assert_error(await appt_client.post(f"{USERS}/{a.id}/absence/end", headers=tax.headers), 403, "FORBIDDEN")
    assert_error(
        await appt_client.post(f"{USERS}/{tax.id}/absence/end", headers=tax.headers), 409, "NOT_ABSENT"
    )


async def test_two_taps_at_once_mark_one_absence(pg_client, pg_settings):
    """PostgreSQL, two requests at once: the clerk and the supervisor both mark 王敏 absent."""
    _, _, a, b, admin = await two_desks(pg_client, pg_settings)
    named = await pg_client.put(
        f"{USERS}/{a.id}/backup", json={"backup_user_id": b.id}, headers=admin.headers
    )
    assert named.status_code == 200, named.text
    url = f"{USERS}/{a.id}/absence"
    answers = await asyncio.gather(
        *(pg_client.post(url, json={"reason": "病假"}, headers=who.headers) for who in (a, admin))
    )
    assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
    assert_error(next(r for r in answers if r.status_code == 409), 409, "ALREADY_ABSENT")
    assert await Absence.filter(user_id=a.id).count() == 1
    assert await Notification.filter(user_id=b.id, event="staff.cover_started").count() == 1
