"""AB角, the backup: a supervisor or admin names each clerk's B角 — same department, same role,
active, not the clerk — and every change is audited; the list shows each clerk with their backup.
Bad input gets a clear 422 BACKUP_INVALID (its reason in Chinese), an unknown clerk 404, a clerk
403. Over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from citizen_api.users.models import User
from tests.conftest import assert_error
from tests.staffing_fixtures import USERS, clerk, manager

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings


async def test_a_supervisor_names_a_backup_and_the_list_shows_it(appt_client, appt_settings):
    chief = await manager(appt_settings)
    a = await clerk(appt_settings, "wangmin", "王敏")
    b = await clerk(appt_settings, "liqiang", "李强")
    await clerk(appt_settings, "taxman", "赵税", department="SW")

    unset = await appt_client.get(f"{USERS}/{a.id}/backup", headers=chief.headers)
    assert unset.status_code == 200, unset.text
    assert (unset.json()["user"]["name"], unset.json()["backup"], unset.json()["absence"]) == (
        "王敏",
        None,
        None,
    )

    named = await appt_client.put(
        f"{USERS}/{a.id}/backup", json={"backup_user_id": b.id}, headers=chief.headers
    )
    assert named.status_code == 200, named.text
    liqiang = {"id": b.id, "username": "liqiang", "name": "李强", "role": "window", "department": "GA"}
    assert named.json()["backup"] == liqiang | {"is_active": True}
    # A sees their own backup; the list shows every clerk of the department with theirs
    mine = (await appt_client.get(f"{USERS}/{a.id}/backup", headers=a.headers)).json()
    assert mine["backup"]["name"] == "李强"
    # who may be chosen is the server's answer: active colleagues of the same department and post
    assert [c["name"] for c in mine["candidates"]] == ["李强"]
    listed = await appt_client.get(
        "/api/v1/staff/backups", params={"department": "GA"}, headers=chief.headers
    )
    assert listed.status_code == 200, listed.text
    assert [(r["user"]["name"], (r["backup"] or {}).get("name")) for r in listed.json()] == [
        ("王敏", "李强"),
        ("李强", None),
    ]
    everyone = (await appt_client.get("/api/v1/staff/backups", headers=chief.headers)).json()
    assert {r["user"]["name"] for r in everyone} == {"王敏", "李强", "赵税"}

    root = await manager(appt_settings, "root", "admin")
    trail = await appt_client.get(
        "/api/v1/staff/audit", params={"action": "staff.backup"}, headers=root.headers
    )
    assert trail.status_code == 200, trail.text
    (entry,) = trail.json()["items"]
    assert entry["object_id"] == str(a.id) and entry["details"]["backup_user_id"] == b.id


async def test_a_backup_must_be_an_active_colleague_of_the_same_post(appt_client, appt_settings):
    admin = await manager(appt_settings, "admin", "admin")
    a = await clerk(appt_settings, "wangmin", "王敏")
    approver = await clerk(appt_settings, "boss", "审批员", role="approver")
    tax = await clerk(appt_settings, "taxman", "赵税", department="SW")
    gone = await clerk(appt_settings, "gone", "离职")
    await User.filter(id=gone.id).update(is_active=False)
    citizen = await User.create(role="citizen", openid="openid-c")
    url = f"{USERS}/{a.id}/backup"

    for backup_id, reason, words in (
        (a.id, "self", "本人"),
        (tax.id, "department", "同一部门"),
        (approver.id, "role", "岗位相同"),
        (gone.id, "inactive", "停用"),
        (citizen.id, "unknown", "未找到"),
        (2_147_483_647, "unknown", "未找到"),
    ):
        refused = await appt_client.put(url, json={"backup_user_id": backup_id}, headers=admin.headers)
        error = assert_error(refused, 422, "BACKUP_INVALID")
        assert error["details"] == {"backup_user_id": backup_id, "reason": reason}
        assert words in error["message"], error["message"]

    for body in ({}, {"backup_user_id": 0}, {"backup_user_id": 2_147_483_648}, {"backup_user_id": "x"},
                 {"backup_user_id": a.id, "extra": 1}):  # fmt: skip
        assert_error(await appt_client.put(url, json=body, headers=admin.headers), 422, "VALIDATION_ERROR")
    assert_error(
        await appt_client.put(f"{USERS}/999999/backup", json={"backup_user_id": a.id}, headers=admin.headers),
        404,
        "NOT_FOUND",
    )
    # a supervisor is no clerk: no backup to name for them
    chief = await manager(appt_settings)
    assert_error(await appt_client.get(f"{USERS}/{chief.id}/backup", headers=admin.headers), 404, "NOT_FOUND")
    # clerks do not name backups, nor see another department's
    assert_error(
        await appt_client.put(url, json={"backup_user_id": a.id}, headers=a.headers), 403, "FORBIDDEN"
    )
    assert_error(await appt_client.get(url, headers=tax.headers), 404, "NOT_FOUND")
    assert_error(await appt_client.get("/api/v1/staff/backups", headers=a.headers), 403, "FORBIDDEN")
    too_long = await appt_client.get(
        "/api/v1/staff/backups", params={"department": "X" * 33}, headers=admin.headers
    )
    assert_error(too_long, 422, "VALIDATION_ERROR")
    assert (await appt_client.get(url, headers=admin.headers)).json()["backup"] is None  # nothing was saved
