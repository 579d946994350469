"""效能考评 end to end over HTTP on SQLite and PostgreSQL: October 2026's work (tests/performance_fixtures)
is computed once the month is over; the ranking per department, window and staff member shows each
sub-score with its raw figures and the weights used, 红榜 and 黑榜; the cases behind a score are
listed; new weights leave a computed month as it was until it is recomputed; bad input is refused
with its code; the monthly job computes last month once."""

from __future__ import annotations

import pytest

from citizen_api import clock
from citizen_api.performance.jobs import run_monthly_scores
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings
from tests.job_runs import run_job
from tests.performance_fixtures import clerk, october

BASE = "/api/v1/staff/performance"
DEFAULTS = {"on_time": 40, "warnings": 10, "steps_overdue": 10, "rating": 30, "complaints": 10}


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


def _parts(row: dict) -> dict[str, tuple]:
    return {p["name"]: (p["score"], p["text"], p["weight"]) for p in row["parts"]}


async def test_a_month_ranked_with_its_figures_and_the_cases_behind(database_url, settings, api, client):
    month = await october(client, api, settings)
    sup = month.supervisor

    clock.set_now(f.at(2026, 10, 31, 23))  # the month is not over yet (China time)
    early = assert_error(await client.post(f"{BASE}/2026-10/compute", headers=sup), 409, "MONTH_NOT_OVER")
    assert early["details"] == {"computable_from": "2026-11-01"}
    assert_error(await client.get(f"{BASE}/2026-10", headers=sup), 404, "MONTH_NOT_COMPUTED")

    clock.set_now(f.at(2026, 11, 2, 12))
    computed = await client.post(f"{BASE}/2026-10/compute", headers=sup)
    assert computed.status_code == 200, computed.text
    body = computed.json()
    assert (body["cases"], body["weights"]) == (5, DEFAULTS)  # c1–c5: the open and November cases are not
    assert {lv["level"]: lv["rows"] for lv in body["levels"]} == {"department": 3, "window": 2, "staff": 4}

    departments = (await client.get(f"{BASE}/2026-10", params={"level": "department"}, headers=sup)).json()
    assert departments["weights"] == DEFAULTS
    ranked = [(r["rank"], r["label"], r["score"], r["board"]) for r in departments["rows"]]
    # no steps are recorded: their 10 goes to the others in proportion (e.g. GA (66.7·60 + 50·30) / 90)
    assert ranked == [(1, "人社局", 91.7, "red"), (2, "公安局", 61.1, "red"), (3, "民政局", 19.4, "red")]
    ga = departments["rows"][1]
    assert ga["cases"] == 3
    assert _parts(ga) == {
        "on_time": (66.7, "2/3 按期办结", 40),
        "warnings": (66.7, "1/3 件曾亮黄灯或红灯", 10),
        "steps_overdue": (None, "0/0 个环节超期", 10),
        "rating": (50.0, "2 件评价，平均 3.00 级", 30),
        "complaints": (66.7, "1 件投诉 / 3 件办结", 10),
    }

    staff = (await client.get(f"{BASE}/2026-10", params={"level": "staff"}, headers=sup)).json()
    assert [(r["rank"], r["label"], r["score"], r["board"]) for r in staff["rows"]] == [
        (1, "rs1", 91.7, "red"),
        (2, "ga1", 72.2, "red"),
        (3, "ga2", 55.6, "red"),
        (4, "mz1", 19.4, "black"),
    ]
    windows = (await client.get(f"{BASE}/2026-10", params={"level": "window"}, headers=sup)).json()
    assert [(r["label"], r["score"], r["department_code"]) for r in windows["rows"]] == [
        ("综合受理区 2号窗口", 91.7, "RS"),
        ("综合受理区 1号窗口", 72.2, "GA"),
    ]

    # traceability: the cases behind 公安局's score, and behind ga1's
    behind = await client.get(f"{BASE}/2026-10/department/GA/cases", headers=sup)
    assert behind.status_code == 200, behind.text
    rows = {c["number"]: c for c in behind.json()["items"]}
    assert behind.json()["total"] == 3
    assert set(rows) == {month.cases[k]["number"] for k in ("c1", "c2", "c3")}
    c1, c2, c3 = (rows[month.cases[k]["number"]] for k in ("c1", "c2", "c3"))
    assert (c1["on_time"], c1["warned"], c1["rating"], c1["complaints"]) == (True, False, 5, 0)
    assert (c2["on_time"], c2["warned"], c2["rating"], c2["complaints"]) == (False, True, None, 0)
    assert (c3["on_time"], c3["warned"], c3["rating"], c3["complaints"]) == (True, False, 1, 1)
    assert c1["item_name"] == "户口迁移" and c1["decided"] is True
    ga1 = month.clerks["ga1"].id
    mine = (await client.get(f"{BASE}/2026-10/staff/{ga1}/cases", headers=sup)).json()
    assert sorted(c["number"] for c in mine["items"]) == sorted(
        month.cases[k]["number"] for k in ("c1", "c2")
    )
    window = month.windows["rs1"]
    seat = (await client.get(f"{BASE}/2026-10/window/{window}/cases", headers=sup)).json()
    assert [c["number"] for c in seat["items"]] == [month.cases["c4"]["number"]]

    # recomputing replaces (no duplicate rows), and is recorded in the audit log
    again = await client.post(f"{BASE}/2026-10/compute", headers=sup)
    assert again.status_code == 200 and again.json()["levels"] == body["levels"]
    assert (await client.get(f"{BASE}/2026-10/department/GA/cases", headers=sup)).json()["total"] == 3
    audit = await client.get("/api/v1/staff/audit", params={"object_type": "performance_month"}, headers=sup)
    assert audit.status_code == 200, audit.text
    assert [e["action"] for e in audit.json()["items"]] == ["performance.compute"] * 2


async def test_new_weights_leave_a_computed_month_until_it_is_recomputed(database_url, settings, api, client):
    month = await october(client, api, settings)
    sup = month.supervisor
    clock.set_now(f.at(2026, 11, 2, 12))
    shown = (await client.get(f"{BASE}/weights", headers=sup)).json()
    assert shown == {"weights": DEFAULTS, "defaults": DEFAULTS, "updated_at": None}
    assert (await client.post(f"{BASE}/2026-10/compute", headers=sup)).status_code == 200

    not_100 = await client.put(f"{BASE}/weights", json={**DEFAULTS, "rating": 20}, headers=sup)
    error = assert_error(not_100, 422, "WEIGHTS_NOT_100")
    assert error["details"] == {"sum": 90} and "100" in error["message"]
    for wrong in ({**DEFAULTS, "on_time": -10, "rating": 80}, {**DEFAULTS, "on_time": 101},
                  {**DEFAULTS, "on_time": 10**20}, {**DEFAULTS, "extra": 0}, {"on_time": 100},
                  {**DEFAULTS, "on_time": "四十"}):  # fmt: skip
        assert_error(await client.put(f"{BASE}/weights", json=wrong, headers=sup), 422, "VALIDATION_ERROR")

    only_on_time = {"on_time": 100, "warnings": 0, "steps_overdue": 0, "rating": 0, "complaints": 0}
    put = await client.put(f"{BASE}/weights", json=only_on_time, headers=sup)
    assert put.status_code == 200, put.text
    assert put.json()["weights"] == only_on_time and put.json()["updated_at"]
    audit = await client.get(
        "/api/v1/staff/audit", params={"object_type": "performance_weights"}, headers=sup
    )
    (entry,) = audit.json()["items"]
    assert entry["details"] == {"from": DEFAULTS, "to": only_on_time}

    kept = (await client.get(f"{BASE}/2026-10", headers=sup)).json()
    assert kept["weights"] == DEFAULTS and kept["rows"][1]["score"] == 61.1  # the month keeps its weights
    assert (await client.post(f"{BASE}/2026-10/compute", headers=sup)).status_code == 200
    redone = (await client.get(f"{BASE}/2026-10", headers=sup)).json()
    assert redone["weights"] == only_on_time
    # on time only: 人社局 100 (1/1), 公安局 66.7 (2/3), 民政局 0 (0/1)
    assert [(r["label"], r["score"]) for r in redone["rows"]] == [
        ("人社局", 100.0),
        ("公安局", 66.7),
        ("民政局", 0.0),
    ]


async def test_bad_months_levels_keys_and_callers_are_refused(database_url, settings, api, client):
    clock.set_now(f.at(2026, 11, 2, 12))
    sup = (await clerk(settings, "sup", "supervisor", None)).headers
    clerk_headers = (await clerk(settings, "ga1", "window", "GA")).headers
    approver = (await clerk(settings, "boss", "approver", "GA")).headers
    citizen = await api.citizen_headers("alice")

    for bad in ("2026-13", "2026-1", "26-10", "abc", "2026-10-01", "1999-12", "%E6%9C%88"):
        resp = await client.post(f"{BASE}/{bad}/compute", headers=sup)
        assert assert_error(resp, 422, "VALIDATION_ERROR")["details"]["fields"]["path.month"]
        assert_error(await client.get(f"{BASE}/{bad}", headers=sup), 422, "VALIDATION_ERROR")
    for not_over in ("2026-11", "2027-01"):
        assert_error(await client.post(f"{BASE}/{not_over}/compute", headers=sup), 409, "MONTH_NOT_OVER")
    assert_error(await client.get(f"{BASE}/2026-09", headers=sup), 404, "MONTH_NOT_COMPUTED")
    assert_error(
        await client.get(f"{BASE}/2026-09/department/GA/cases", headers=sup), 404, "MONTH_NOT_COMPUTED"
    )

    # an empty month computes to no rows
    empty = await client.post(f"{BASE}/2026-09/compute", headers=sup)
    assert empty.status_code == 200 and empty.json()["cases"] == 0
    assert (await client.get(f"{BASE}/2026-09", headers=sup)).json()["rows"] == []
    bad_level = await client.get(f"{BASE}/2026-09", params={"level": "bureau"}, headers=sup)
    assert_error(bad_level, 422, "VALIDATION_ERROR")
    bad_path = await client.get(f"{BASE}/2026-09/bureau/GA/cases", headers=sup)
    assert assert_error(bad_path, 422, "VALIDATION_ERROR")["details"]["fields"]["path.level"]
    for key in ("GA", "x" * 300, "999999999999999999999"):
        unknown = await client.get(f"{BASE}/2026-09/department/{key}/cases", headers=sup)
        assert_error(unknown, 404, "NOT_FOUND")
    paged = await client.get(f"{BASE}/2026-09/department/GA/cases", params={"size": 10**20}, headers=sup)
    assert_error(paged, 422, "VALIDATION_ERROR")

    # window clerks and approvers do not see the ranking; citizens even less
    for who, code in ((clerk_headers, "FORBIDDEN"), (approver, "FORBIDDEN"), (citizen, "FORBIDDEN")):
        for method, url in (("GET", f"{BASE}/weights"), ("PUT", f"{BASE}/weights"),
                            ("POST", f"{BASE}/2026-09/compute"), ("GET", f"{BASE}/2026-09"),
                            ("GET", "/api/v1/staff/exports/performance.xlsx?month=2026-09")):  # fmt: skip
            assert_error(await client.request(method, url, json=DEFAULTS, headers=who), 403, code)


async def test_the_monthly_job_computes_last_month_once(database_url, settings, api, client):
    clock.set_now(f.at(2026, 10, 1, 0))
    assert await run_job(run_monthly_scores, settings) == 0  # an empty September: nothing to rank
    await october(client, api, settings)
    clock.set_now(f.at(2026, 11, 1, 0))  # midnight in China: October is over
    assert await run_job(run_monthly_scores, settings) == 1
    assert await run_job(run_monthly_scores, settings) == 0  # once
    sup = (await clerk(settings, "sup2", "supervisor", None)).headers
    ranked = (await client.get(f"{BASE}/2026-10", headers=sup)).json()
    assert [r["label"] for r in ranked["rows"]] == ["人社局", "公安局", "民政局"]
    audit = await client.get("/api/v1/staff/audit", params={"object_type": "performance_month"}, headers=sup)
    assert [e["actor_id"] for e in audit.json()["items"]] == [None]  # the job, not a person
