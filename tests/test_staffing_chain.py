"""AB角 chain: 王敏 (A) is away and 李强 (B) covers her; then 李强 is away too and his backup 周丽 (C)
takes over his covers — her call-next draws from A's and B's window groups, the number B had called
for A goes to her window, she holds A's and B's cases. On A's return A's recorded cases come back
from whoever holds them (C), one re-assigned by hand stays; on B's return B gets his own case back
and, while A is still away, his cover of A. Over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.appointments.models import Window
from citizen_api.audit.models import AuditLog
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.appointments_fixtures import make_hall
from tests.case_steps_fixtures import give, hall, member, stepped_item, steps
from tests.conftest import assert_error, make_settings
from tests.staffing_fixtures import USERS, clerk, seat, two_desks
from tests.test_staff_hall_lookup import MORNING

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

QUEUE = "/api/v1/staff/queue"
DESK = "/api/v1/staff/me/desk"


async def _walk_in(client, who, group: str) -> str:
    resp = await client.post(f"{QUEUE}/walk-in", json={"group": group}, headers=who.headers)
    assert resp.status_code == 201, resp.text
    return resp.json()["number"]


async def _name_backup(client, admin, who, backup) -> None:
    resp = await client.put(
        f"{USERS}/{who.id}/backup", json={"backup_user_id": backup.id}, headers=admin.headers
    )
    assert resp.status_code == 200, resp.text


async def _mark(client, admin, who, reason: str = "病假") -> dict:
    resp = await client.post(f"{USERS}/{who.id}/absence", json={"reason": reason}, headers=admin.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def _back(client, admin, who) -> dict:
    resp = await client.post(f"{USERS}/{who.id}/absence/end", headers=admin.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def _covering(client, who) -> list[str]:
    desk = (await client.get(DESK, headers=who.headers)).json()
    return [c["absent_name"] for c in desk["covering"]]


async def test_the_backups_backup_covers_both_desks_and_gives_back_in_turn(appt_client, appt_settings):
    _, _, a, b, admin = await two_desks(appt_client, appt_settings)
    hall_c = await make_hall(prefix="C")
    c = await clerk(appt_settings, "zhouli", "周丽")
    await seat(appt_client, admin, c, await Window.create(group=hall_c.group, number="9", name="9号窗口"))
    await _name_backup(appt_client, admin, a, b)
    await _name_backup(appt_client, admin, b, c)
    clock.set_now(MORNING)
    for group in ("G-A", "G-A", "G-A", "G-B", "G-C"):
        await _walk_in(appt_client, a, group)  # AW001 AW002 AW003 BW001 CW001
    called = (await appt_client.post(f"{QUEUE}/call-next", json={}, headers=a.headers)).json()
    assert (called["number"], called["window"]) == ("AW001", "5")
    await _mark(appt_client, admin, a)
    assert await _covering(appt_client, b) == ["王敏"]

    # B away too: C covers A's desk and B's, AW001 (B's to serve) is at C's window 9
    marked_b = await _mark(appt_client, admin, b, "外出培训")
    assert marked_b["tickets"] == ["AW001"]
    assert sorted(await _covering(appt_client, c)) == ["李强", "王敏"]
    assert await _covering(appt_client, b) == []
    queue = (await appt_client.get(QUEUE, params={"group": "G-C"}, headers=c.headers)).json()
    assert sorted(queue["covered_groups"]) == ["G-A", "G-B"]
    assert [(t["number"], t["window"]) for t in queue["called"]] == [("AW001", "9")]
    assert [t["number"] for t in queue["waiting"]] == ["AW002", "AW003", "BW001", "CW001"]
    nxt = (await appt_client.post(f"{QUEUE}/call-next", json={"group": "G-C"}, headers=c.headers)).json()
    assert (nxt["number"], nxt["window"]) == ("AW002", "9")
    rows = {
        r["user"]["name"]: r
        for r in (await appt_client.get("/api/v1/staff/backups", headers=admin.headers)).json()
    }
    assert [p["name"] for p in rows["周丽"]["covering"]] == ["王敏", "李强"]
    assert rows["李强"]["covering"] == []
    logged = await AuditLog.filter(action="staff.absence", object_id=str(b.id)).first()
    assert logged is not None and logged.details["covers_passed"] == [a.id]
    # B's backup away: C cannot be marked absent (her backup is not named)
    assert_error(
        await appt_client.post(f"{USERS}/{c.id}/absence", json={"reason": "年假"}, headers=admin.headers),
        409,
        "NO_BACKUP",
    )

    # B back while A is still away: B covers A again, C only her own desk
    await _back(appt_client, admin, b)
    assert await _covering(appt_client, b) == ["王敏"]
    assert await _covering(appt_client, c) == []
    queue = (await appt_client.get(QUEUE, params={"group": "G-B"}, headers=b.headers)).json()
    assert queue["covered_groups"] == ["G-A"]
    assert [t["number"] for t in queue["waiting"]] == ["AW003", "BW001"]
    # A back: B is told (he covered her last), B's queue is his own again
    await _back(appt_client, admin, a)
    assert await _covering(appt_client, b) == []
    assert await Notification.filter(user_id=b.id, event="staff.cover_ended").count() == 1
    again = (await appt_client.post(f"{QUEUE}/call-next", json={}, headers=a.headers)).json()
    assert (again["number"], again["window"]) == ("AW003", "5")


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_cases_come_back_from_whoever_holds_them_along_the_chain(settings, api, client):
    clock.set_now(f.at(2026, 9, 7))  # Monday
    item = await stepped_item()
    staff = await hall(settings)
    a, b, approver, admin = staff["window"], staff["window2"], staff["approver"], staff["admin"]
    c = await member(settings, "ga-window-3", "window")
    alice = await f.citizen(api, client)
    ids = [(await f.submit(client, alice, item))["id"] for _ in range(4)]
    first, second, third, bs_own = ids
    for case_id in (first, second, third):
        assert (await f.act(client, a.headers, case_id, "accept")).status_code == 200
    assert (await f.act(client, b.headers, bs_own, "accept")).status_code == 200
    await _name_backup(client, admin, a, b)
    await _name_backup(client, admin, b, c)

    assert (await _mark(client, admin, a))["case_ids"] == [first, second, third]
    assert (await _mark(client, admin, b))["case_ids"] == sorted([first, second, third, bs_own])
    for case_id in ids:
        assert (await steps(client, c, case_id))["current"]["holder_id"] == c.id
    # the admin re-assigns one by hand: it is not C's to give back
    assert (await give(client, admin, second, approver.id, "审批人员直接受理")).status_code == 200

    # A back while B is still away: her cases come from C, the re-assigned one stays
    back_a = await _back(client, admin, a)
    assert back_a["returned_case_ids"] == [first, third]
    assert back_a["summary"] == "已转交 3 件、0 个号；返岗收回 2 件"
    for case_id, holder in ((first, a), (third, a), (second, approver), (bs_own, c)):
        assert (await steps(client, a, case_id))["current"]["holder_id"] == holder.id
    logged = await AuditLog.filter(action="staff.return", object_id=str(a.id)).first()
    assert logged is not None
    assert logged.details["returned_from"] == {str(c.id): [first, third]}
    assert logged.details["not_returned"] == [second]
    assert await Notification.filter(user_id=c.id, event="staff.cover_ended").count() == 1
    assert await Notification.filter(user_id=b.id, event="staff.cover_ended").count() == 0

    # B back: his own case only (A's are A's again)
    assert (await _back(client, admin, b))["returned_case_ids"] == [bs_own]
    assert (await steps(client, b, bs_own))["current"]["holder_id"] == b.id
