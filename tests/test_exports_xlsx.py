"""The .xlsx exports over HTTP, opened with openpyxl: a Chinese header row, the same rows and values as
the JSON list (or stats) for the same query, dates as dates, personal data masked, a Chinese file
name (RFC 5987), each download on the audit trail, the list's scope and roles."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from citizen_api import clock
from citizen_api.cases.models import Application, SupervisionWarning
from tests.cases_fixtures import LONG_TOKENS
from tests.conftest import assert_error, create_staff, make_settings
from tests.delivery_fixtures import citizen, make_case, make_department

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=clock.CST)


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **LONG_TOKENS)


def _sheet(resp):
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


async def seed(api, client):
    clock.set_now(NOW)
    await make_department("GA", "公安局")
    await make_department("MZ", "民政局")
    alice, headers = await citizen(api, "alice")
    for department, deadline in (("GA", date(2026, 3, 10)), ("MZ", date(2026, 3, 13))):
        case = await make_case(alice, department=department, status="accepted")
        await Application.filter(id=case.id).update(deadline=deadline, yellow_on=deadline - timedelta(days=5))
        await SupervisionWarning.create(application_id=case.id, level="red", department_code=department)
    rated = await make_case(alice, department="GA")
    body = {"level": 1, "tags": ["态度差"], "comment": "请回电 13912345678"}
    resp = await client.post(f"/api/v1/applications/{rated.id}/rating", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    complaint = {"application_id": rated.id, "content": "身份证 11010519900307123X 被要求复印三次"}
    assert (await client.post("/api/v1/complaints", json=complaint, headers=headers)).status_code == 201
    await create_staff("boss", "supervisor", None)
    await create_staff("win", "window", "GA")
    return await api.staff_headers("boss"), await api.staff_headers("win")


async def test_warnings_export_is_the_list(database_url, api, client):
    boss, win = await seed(api, client)
    params = {"sort": "days_overdue"}
    resp = await client.get("/api/v1/staff/exports/warnings.xlsx", params=params, headers=boss)
    header, rows = _sheet(resp)
    assert header[:3] == ("办件编号", "事项", "责任部门") and "超期工作日" in header
    listed = (await client.get("/api/v1/staff/supervision/warnings", params=params, headers=boss)).json()
    assert [r[0] for r in rows] == [w["number"] for w in listed["items"]]
    for row, item in zip(rows, listed["items"], strict=True):
        values = dict(zip(header, row, strict=True))
        assert values["责任部门"] == item["department_name"]
        assert values["超期工作日"] == item["days_overdue"]
        assert values["办理期限"].date().isoformat() == item["deadline"]  # a real date cell
        assert values["预警"] == "红灯"
        assert isinstance(values["预警时间"], datetime)
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('预警清单-20260316.xlsx')}" in disposition
    assert 'filename="warnings-20260316.xlsx"' in disposition

    _, mine = _sheet(await client.get("/api/v1/staff/exports/warnings.xlsx", headers=win))
    assert {row[2] for row in mine} == {"公安局"}  # the clerk's scope, as in the list

    trail = (await client.get("/api/v1/staff/audit", params={"object_type": "export"}, headers=boss)).json()
    assert [(e["object_id"], e["actor_name"]) for e in trail["items"]] == [
        ("warnings", "win"),
        ("warnings", "boss"),
    ]
    assert trail["items"][1]["details"] == {
        "rows": 2,
        "filters": {"sort": "days_overdue", "open_only": False},
    }


async def test_bad_ratings_and_complaints_exports_mask_personal_data(database_url, api, client):
    boss, win = await seed(api, client)
    header, rows = _sheet(await client.get("/api/v1/staff/exports/bad-ratings.xlsx", headers=boss))
    listed = (await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=boss)).json()["items"]
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["评价编号"] == listed[0]["id"] and values["评价等级"] == 1
    assert values["评价内容"] == "请回电 139****5678"
    assert values["回访期限"].date().isoformat() == listed[0]["visit_due"]
    assert values["整改期限"].date().isoformat() == listed[0]["rectify_due"]
    assert (values["整改状态"], values["是否超期"]) == ("待回访", "否")

    resp = await client.get("/api/v1/staff/exports/complaints.xlsx", headers=boss)
    header, [row] = _sheet(resp)
    values = dict(zip(header, row, strict=True))
    assert values["投诉内容"] == "身份证 110***********123X 被要求复印三次"
    assert (
        values["答复期限"].date().isoformat()
        == (await client.get("/api/v1/staff/complaints", headers=boss)).json()["items"][0]["due_on"]
    )
    assert b"13912345678" not in resp.content
    assert_error(await client.get("/api/v1/staff/exports/complaints.xlsx", headers=win), 403, "FORBIDDEN")


async def test_stats_export_has_the_figures_of_the_stats(database_url, api, client):
    boss, win = await seed(api, client)
    period = {"from": "2026-03-01", "to": "2026-03-16"}
    header, rows = _sheet(await client.get("/api/v1/staff/exports/stats.xlsx", params=period, headers=boss))
    stats = (await client.get("/api/v1/staff/stats", params=period, headers=boss)).json()
    rated = (await client.get("/api/v1/staff/ratings/stats", params=period, headers=boss)).json()
    assert header[:2] == ("部门编码", "部门") and len(rows) == len(stats["departments"]) + 1
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for department in [*stats["departments"], stats["total"]]:
        got = by_code[department["department_code"]]
        assert (got["提交件数"], got["办结件数"], got["按期办结率(%)"]) == (
            department["submitted"],
            department["decided"],
            department["on_time_rate"],
        )
        assert got["红灯"] == department["open_by_warning"]["red"]
    assert by_code["*"]["好评率(%)"] == rated["overall"]["good_rate"] == 0.0
    resp = await client.get("/api/v1/staff/exports/stats.xlsx", params={"department": "MZ"}, headers=win)
    assert_error(resp, 403, "FORBIDDEN")
    bad = await client.get("/api/v1/staff/exports/stats.xlsx", params={"from": "x"}, headers=boss)
    assert_error(bad, 422, "VALIDATION_ERROR")
