"""效能考评: the steps input and the .xlsx export, over HTTP on SQLite and PostgreSQL.

The steps are real: the October fixture's GA item lists steps in its guide, the clerks accept cases and
complete steps on the controllable clock (one finished late, one still open past its limit at the end
of the month), the decisions close the open ones, and ``cases.service.step_facts`` reads them as
效能考评 does; the cases, ratings, complaints, desks, the computing and the answers are real too.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from citizen_api import clock
from citizen_api.performance import scoring
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings
from tests.performance_fixtures import october

BASE = "/api/v1/staff/performance"
XLSX = "/api/v1/staff/exports/performance.xlsx"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def test_overdue_steps_count_for_the_department_and_the_holder(database_url, settings, api, client):
    month = await october(client, api, settings, with_steps=True)
    sup = month.supervisor
    ga1, ga2, boss = (month.clerks[name].id for name in ("ga1", "ga2", "boss-GA"))
    number = {key: case["number"] for key, case in month.cases.items()}
    clock.set_now(f.at(2026, 11, 2, 12))
    assert (await client.post(f"{BASE}/2026-10/compute", headers=sup)).status_code == 200

    rows = {r["label"]: r for r in (await client.get(f"{BASE}/2026-10", headers=sup)).json()["rows"]}
    steps = {p["name"]: p for p in rows["公安局"]["parts"]}["steps_overdue"]
    # 受理 of c1, c3, c2 (late), open (open past its limit), november; 审查 of c2, november (past its limit)
    assert (steps["score"], steps["text"]) == (57.1, "3/7 个环节超期")
    # every weight counts: (66.7·40 + 66.7·10 + 57.1·10 + 50·30 + 66.7·10) / 100 = 60.71, one decimal
    assert rows["公安局"]["score"] == 60.7
    rs_steps = {p["name"]: p for p in rows["人社局"]["parts"]}["steps_overdue"]
    assert (rs_steps["score"], rs_steps["text"]) == (None, "0/0 个环节超期")  # an item without steps

    staff = {
        r["label"]: r for r in (await client.get(f"{BASE}/2026-10?level=staff", headers=sup)).json()["rows"]
    }
    overdue_text = {name: {p["name"]: p["text"] for p in staff[name]["parts"]}["steps_overdue"]
                    for name in ("ga1", "ga2", "boss-GA")}  # fmt: skip
    assert overdue_text == {"ga1": "2/4 个环节超期", "ga2": "1/2 个环节超期", "boss-GA": "0/1 个环节超期"}

    async def behind(user_id: int) -> dict[str, tuple]:
        body = (await client.get(f"{BASE}/2026-10/staff/{user_id}/cases", headers=sup)).json()
        fields = ("decided", "on_time", "steps", "steps_overdue")
        return {c["number"]: tuple(c[k] for k in fields) for c in body["items"]}

    # the case still open counts for its holder's steps only, not as decided
    assert (await behind(ga2)) == {number["c3"]: (True, True, 1, 0), number["open"]: (False, None, 1, 1)}
    assert (await behind(ga1))[number["november"]] == (False, None, 2, 1)
    assert (await behind(ga1))[number["c2"]] == (True, False, 1, 1)
    # the approver who held 审查 of c2: the step counts for him, the case's result for its clerk
    assert (await behind(boss)) == {number["c2"]: (False, None, 1, 0)}


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
