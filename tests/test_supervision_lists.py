"""The 电子监察 lists over HTTP: warnings with the responsible department and the working days overdue
(sortable by them); bad ratings with their return-visit and rectification deadlines, state and an
overdue flag; a real-name 差评 cannot be rectified before its return visit is recorded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from citizen_api import clock
from citizen_api.cases.models import Application, SupervisionWarning
from tests.cases_fixtures import LONG_TOKENS
from tests.conftest import assert_error, create_staff, make_settings
from tests.delivery_fixtures import citizen, make_case, make_department

TODAY = date(2026, 3, 16)  # a Monday


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **LONG_TOKENS)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time(), clock.CST) + timedelta(hours=hour)


async def _warned(applicant: int, department: str, deadline: date, level: str, decided: date | None = None):
    case = await make_case(
        applicant, department=department, status="approved" if decided else "accepted",
        decided_at=_at(decided) if decided else None,
    )  # fmt: skip
    await Application.filter(id=case.id).update(
        deadline=deadline, yellow_on=deadline - timedelta(days=5), accepted_on=deadline - timedelta(days=10)
    )
    row = await SupervisionWarning.create(application_id=case.id, level=level, department_code=department)
    return case, row


async def test_warnings_name_the_department_and_the_working_days_overdue(database_url, api, client):
    clock.set_now(_at(TODAY))
    await make_department("GA", "公安局")
    await make_department("MZ", "民政局")
    alice, _ = await citizen(api, "alice")
    four, _ = await _warned(alice, "GA", date(2026, 3, 10), "red")  # 11, 12, 13, 16 March
    one, _ = await _warned(alice, "MZ", date(2026, 3, 13), "red")  # Friday → Monday: 1
    calm, _ = await _warned(alice, "GA", date(2026, 3, 20), "yellow")  # not overdue yet
    done, _ = await _warned(alice, "GA", date(2026, 3, 2), "red", decided=date(2026, 3, 4))  # frozen: 2
    await create_staff("boss", "supervisor", None)
    await create_staff("win", "window", "GA")
    boss = await api.staff_headers("boss")

    resp = await client.get(
        "/api/v1/staff/supervision/warnings", params={"sort": "days_overdue"}, headers=boss
    )
    assert resp.status_code == 200, resp.text
    rows = resp.json()["items"]
    assert [r["case_id"] for r in rows] == [done.id, four.id, one.id, calm.id]  # earliest deadline first
    assert [r["days_overdue"] for r in rows] == [2, 4, 1, 0]
    assert [r["department_name"] for r in rows] == ["公安局", "公安局", "民政局", "公安局"]
    assert rows[1]["warning"] == "red" and rows[3]["warning"] == "yellow"

    open_red = await client.get(
        "/api/v1/staff/supervision/warnings",
        params={"sort": "days_overdue", "level": "red", "open_only": "true"}, headers=boss,
    )  # fmt: skip
    assert [(r["case_id"], r["days_overdue"]) for r in open_red.json()["items"]] == [
        (four.id, 4),
        (one.id, 1),
    ]
    newest = (await client.get("/api/v1/staff/supervision/warnings", headers=boss)).json()["items"]
    assert [r["case_id"] for r in newest] == [done.id, calm.id, one.id, four.id]  # the default: newest first
    mine = (
        await client.get("/api/v1/staff/supervision/warnings", headers=await api.staff_headers("win"))
    ).json()
    assert {r["department_name"] for r in mine["items"]} == {"公安局"}  # the clerk's department only
    bad = await client.get("/api/v1/staff/supervision/warnings", params={"sort": "worst"}, headers=boss)
    assert_error(bad, 422, "VALIDATION_ERROR")


async def test_bad_ratings_show_deadlines_state_and_overdue_and_the_visit_comes_first(
    database_url, api, client
):
    clock.set_now(_at(date(2026, 3, 2)))  # Monday: the visit is due in 1 working day, the fix in 15
    await make_department("GA", "公安局")
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, department="GA")
    resp = await client.post(
        f"/api/v1/applications/{case.id}/rating", json={"level": 1, "tags": ["态度差"]}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    rating_id = resp.json()["id"]
    await create_staff("win", "window", "GA")
    await create_staff("boss", "supervisor", None)
    win, boss = await api.staff_headers("win"), await api.staff_headers("boss")

    async def listed() -> dict:
        resp = await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=boss)
        assert resp.status_code == 200, resp.text
        [row] = resp.json()["items"]
        return row

    row = await listed()
    assert (row["visit_due"], row["rectify_due"], row["visited_at"]) == ("2026-03-03", "2026-03-23", None)
    assert (row["rectification_status"], row["rectification_status_text"], row["overdue"]) == (
        "open", "待回访", False
    )  # fmt: skip
    assert row["department_name"] == "公安局"
    clock.set_now(_at(date(2026, 3, 4)))  # the visit is a day late
    assert (await listed())["overdue"] is True

    step = {"note": "已整改"}
    error = assert_error(
        await client.post(f"/api/v1/staff/ratings/{rating_id}/rectify", json=step, headers=win),
        409,
        "RETURN_VISIT_REQUIRED",
    )
    assert error["details"]["allowed"] == ["return_visit"]
    assert (await listed())["rectification_status"] == "open"  # nothing moved
    visit = await client.post(
        f"/api/v1/staff/ratings/{rating_id}/return-visit", json={"note": "电话回访"}, headers=win
    )
    assert visit.status_code == 200, visit.text
    row = await listed()
    assert (row["rectification_status"], row["overdue"]) == ("visited", False) and row["visited_at"]
    clock.set_now(_at(date(2026, 3, 24)))  # past the rectification's day
    assert (await listed())["overdue"] is True
    fixed = await client.post(f"/api/v1/staff/ratings/{rating_id}/rectify", json=step, headers=win)
    assert fixed.status_code == 200, fixed.text
    assert ((await listed())["rectification_status"], (await listed())["overdue"]) == ("rectified", False)


async def test_the_raters_phone_through_the_audited_reveal(database_url, api, client):
    clock.set_now(_at(date(2026, 3, 2)))
    await make_department("GA", "公安局")
    alice, headers = await citizen(api, "alice")
    resp = await client.put(
        "/api/v1/me/profile",
        json={"name": "张三丰", "id_number": "11010519491231002X", "phone": "13912345678"},
        headers=headers,
    )
    assert resp.status_code == 200, resp.text
    case = await make_case(alice, department="GA")
    bad = await client.post(f"/api/v1/applications/{case.id}/rating", json={"level": 2}, headers=headers)
    good_case = await make_case(alice, department="GA")
    good = await client.post(
        f"/api/v1/applications/{good_case.id}/rating", json={"level": 5}, headers=headers
    )
    await create_staff("win", "window", "GA")
    await create_staff("other", "window", "MZ")
    await create_staff("boss", "supervisor", None)
    win = await api.staff_headers("win")
    listed = (await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=win)).json()
    assert "13912345678" not in str(listed)  # the list never shows it

    url = f"/api/v1/staff/ratings/{bad.json()['id']}/reveal"
    resp = await client.post(url, json={"reason": "差评回访"}, headers=win)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"rating_id": bad.json()["id"], "name": "张三丰", "phone": "13912345678"}
    boss = await api.staff_headers("boss")
    trail = (await client.get("/api/v1/staff/audit", params={"object_type": "rating"}, headers=boss)).json()
    [entry] = [e for e in trail["items"] if e["action"] == "rating.reveal_contact"]
    assert (entry["actor_name"], entry["details"]["reason"]) == ("win", "差评回访")

    assert_error(await client.post(url, json={"reason": "差评回访"}, headers=boss), 403, "FORBIDDEN")
    other = await api.staff_headers("other")
    assert_error(await client.post(url, json={"reason": "差评回访"}, headers=other), 404, "NOT_FOUND")
    assert_error(await client.post(url, json={"reason": ""}, headers=win), 422, "VALIDATION_ERROR")
    good_url = f"/api/v1/staff/ratings/{good.json()['id']}/reveal"
    assert_error(await client.post(good_url, json={"reason": "回访"}, headers=win), 409, "NOT_BAD_RATING")
