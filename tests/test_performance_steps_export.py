"""效能考评: the steps input and the .xlsx export, over HTTP on SQLite and PostgreSQL.

Per-step supervision is another branch's work (``cases.service.step_facts`` returns no steps yet):
the steps test binds a small fake of that one function, giving StepFact values for October's cases;
everything else — the cases, ratings, complaints, desks, the computing and the answers — is real.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from citizen_api import clock
from citizen_api.cases import service as cases_service
from citizen_api.cases.service import StepFact
from citizen_api.performance import scoring
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings
from tests.performance_fixtures import october

BASE = "/api/v1/staff/performance"
XLSX = "/api/v1/staff/exports/performance.xlsx"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_overdue_steps_count_for_the_department_and_the_holder(
    database_url, settings, api, client, monkeypatch
):
    month = await october(client, api, settings)
    c1, still_open = month.cases["c1"]["id"], month.cases["open"]["id"]
    ga1, ga2 = month.clerks["ga1"].id, month.clerks["ga2"].id
    asked = []

    async def steps_of_october(start: date, end: date) -> list[StepFact]:
        asked.append((start, end))
        return [
            StepFact(c1, "GA", "review", "审核", "审核岗", ga1, date(2026, 10, 8), date(2026, 10, 9),
                     date(2026, 10, 9), False, 0),
            StepFact(c1, "GA", "decide", "决定", "决定岗", ga1, date(2026, 10, 9), date(2026, 10, 9),
                     date(2026, 10, 8), True, 1),
            # a step of October on a case still open: counted for its holder, the case not as decided
            StepFact(still_open, "GA", "review", "审核", "审核岗", ga2, date(2026, 10, 8), None,
                     date(2026, 10, 12), True, 2),
        ]  # fmt: skip

    monkeypatch.setattr(cases_service, "step_facts", steps_of_october)
    clock.set_now(f.at(2026, 11, 2, 12))
    sup = month.supervisor
    assert (await client.post(f"{BASE}/2026-10/compute", headers=sup)).status_code == 200
    assert asked == [(date(2026, 10, 1), date(2026, 10, 31))]  # the month's days, China time

    rows = {r["label"]: r for r in (await client.get(f"{BASE}/2026-10", headers=sup)).json()["rows"]}
    steps = {p["name"]: p for p in rows["公安局"]["parts"]}["steps_overdue"]
    assert (steps["score"], steps["text"]) == (33.3, "2/3 个环节超期")
    # the steps measured, every weight counts: (66.7·40 + 66.7·10 + 33.3·10 + 50·30 + 66.7·10) / 100
    # = 58.35, rounded half up
    assert rows["公安局"]["score"] == 58.4
    staff = {
        r["label"]: r for r in (await client.get(f"{BASE}/2026-10?level=staff", headers=sup)).json()["rows"]
    }
    assert {p["name"]: p["text"] for p in staff["ga2"]["parts"]}["steps_overdue"] == "1/1 个环节超期"

    behind = (await client.get(f"{BASE}/2026-10/staff/{ga2}/cases", headers=sup)).json()
    by_number = {c["number"]: c for c in behind["items"]}
    open_row = by_number[month.cases["open"]["number"]]
    assert (open_row["decided"], open_row["on_time"], open_row["steps"], open_row["steps_overdue"]) == (
        False, None, 1, 1,
    )  # fmt: skip
    assert by_number[month.cases["c3"]["number"]]["steps"] == 0


async def test_the_ranking_and_its_cases_as_a_workbook(database_url, settings, api, client):
    month = await october(client, api, settings)
    sup = month.supervisor
    clock.set_now(f.at(2026, 11, 2, 12))
    assert_error(await client.get(XLSX, params={"month": "2026-10"}, headers=sup), 404, "MONTH_NOT_COMPUTED")
    for bad in ({"month": "2026-1"}, {"month": "x" * 3000}, {}, {"month": "2026-10", "level": "bureau"}):
        assert_error(await client.get(XLSX, params=bad, headers=sup), 422, "VALIDATION_ERROR")
    assert (await client.post(f"{BASE}/2026-10/compute", headers=sup)).status_code == 200

    resp = await client.get(XLSX, params={"month": "2026-10", "level": "staff"}, headers=sup)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        "filename*=UTF-8''%E6%95%88%E8%83%BD%E8%80%83%E8%AF%84-2026-10-"
        in resp.headers["content-disposition"]
    )
    book = load_workbook(BytesIO(resp.content))
    assert book.sheetnames == ["2026-10 工作人员排名", "办件明细"]
    ranking = [list(r) for r in book["2026-10 工作人员排名"].iter_rows(values_only=True)]
    assert ranking[0][:6] == ["名次", "红黑榜", "工作人员", "部门编码", "综合得分", "计入办件"]
    assert ranking[0][6:8] == ["按期办结得分", "按期办结原始数据（权重 40）"]
    assert [r[:6] for r in ranking[1:5]] == [
        [1, "红榜", "rs1", "RS", 91.7, 1],
        [2, "红榜", "ga1", "GA", 72.2, 2],
        [3, "红榜", "ga2", "GA", 55.6, 1],
        [4, "黑榜", "mz1", "MZ", 19.4, 1],
    ]
    assert ranking[2][6:8] == [50.0, "1/2 按期办结"]
    assert "权重" in ranking[-1][0] and "按期办结 40" in ranking[-1][0]
    cases = [list(r) for r in book["办件明细"].iter_rows(values_only=True)]
    assert cases[0][:4] == ["工作人员", "办件编号", "事项", "计入办结"]
    c2 = next(r for r in cases if r[1] == month.cases["c2"]["number"])
    assert c2[0] == "ga1" and c2[3:8] == ["是", "否", "是", None, 0]
    assert len(cases) == 1 + 5
    audit = await client.get("/api/v1/staff/audit", params={"action": "export.download"}, headers=sup)
    (entry,) = audit.json()["items"]
    assert entry["details"]["filters"] == {"month": "2026-10", "level": "staff"}


def test_equal_scores_share_a_rank_and_a_board():
    placed = scoring.places([90.0, 90.0, 80.0, 70.0, 60.0, 60.0, 50.0, None])
    assert [p.rank for p in placed] == [1, 1, 3, 4, 5, 5, 7, None]
    assert [p.board for p in placed] == ["red", "red", "red", None, "black", "black", "black", None]
