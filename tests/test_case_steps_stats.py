"""电子监察 per step: the time spent per step and per post (GET /staff/stats/steps), and the two ports
other helpers build on — ``cases.service.step_facts`` (效能考评) and ``hand_over`` (AB角) — over real
cases on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from citizen_api.cases import service as cases
from citizen_api.db import atomic
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from tests import cases_fixtures as f
from tests.case_steps_fixtures import complete, hall, stepped_item, steps
from tests.conftest import assert_error, make_settings

STATS = "/api/v1/staff/stats/steps"
SEPTEMBER = {"from": "2026-09-01", "to": "2026-09-30"}


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def _three_cases(client, api, settings):
    """GA: one case late in 受理 then through 审查 on time, one still in 受理 past its limit; RS: one
    case in 受理 on time."""
    clock.set_now(f.at(2026, 9, 7))
    ga_item = await stepped_item()
    rs_item = await stepped_item("RS-SB-101", dept="RS", name="社保转移")
    staff = await hall(settings)
    alice = await f.citizen(api, client)
    walked = (await f.submit(client, alice, ga_item))["id"]
    stuck = (await f.submit(client, alice, ga_item))["id"]
    other = (await f.submit(client, alice, rs_item))["id"]
    for case_id in (walked, stuck):
        assert (await f.act(client, staff["window"].headers, case_id, "accept")).status_code == 200
    assert (await f.act(client, staff["rs"].headers, other, "accept")).status_code == 200
    clock.set_now(f.at(2026, 9, 9))  # 受理 took 2 working days (limit 1)
    done = await complete(client, staff["window"], walked, next_holder_id=staff["approver"].id)
    assert done.status_code == 200, done.text
    clock.set_now(f.at(2026, 9, 10))
    assert (await complete(client, staff["approver"], walked)).status_code == 200  # 审查 in 1
    return staff, walked, stuck, other


async def test_time_spent_per_step_and_per_post(database_url, settings, api, client):
    staff, *_ = await _three_cases(client, api, settings)
    centre = await client.get(STATS, params=SEPTEMBER, headers=staff["supervisor"].headers)
    assert centre.status_code == 200, centre.text
    body = centre.json()
    assert (body["from"], body["to"], body["department"]) == ("2026-09-01", "2026-09-30", None)
    by_step = {row["code"]: row for row in body["by_step"]}
    assert [row["code"] for row in body["by_step"]] == ["accept", "review", "decide"]
    accept = by_step["accept"]
    # finished: the walked case's 受理 (2 days, late); open: the stuck GA case's and the RS case's
    assert (accept["name"], accept["finished"], accept["open"]) == ("受理", 1, 2)
    assert (accept["average_working_days"], accept["max_working_days"]) == (2.0, 2)
    assert accept["overdue"] == 3  # the late finish, and both open 受理 past their limit on 09-10
    assert (by_step["review"]["finished"], by_step["review"]["overdue"]) == (1, 0)
    assert by_step["review"]["average_working_days"] == 1.0
    assert (by_step["decide"]["finished"], by_step["decide"]["open"]) == (0, 1)
    assert by_step["decide"]["average_working_days"] is None
    by_post = {row["post"]: row for row in body["by_post"]}
    assert (by_post["受理岗"]["finished"], by_post["受理岗"]["open"]) == (1, 2)
    assert (by_post["审核岗"]["finished"], by_post["审批岗"]["open"]) == (1, 1)

    # a clerk sees their own department; asking for another one is refused
    own = (await client.get(STATS, params=SEPTEMBER, headers=staff["rs"].headers)).json()
    assert own["department"] == "RS"
    assert [(r["code"], r["finished"], r["open"]) for r in own["by_step"]] == [("accept", 0, 1)]
    ga_only = (
        await client.get(STATS, params={**SEPTEMBER, "department": "GA"}, headers=staff["admin"].headers)
    ).json()
    assert {r["code"]: r["open"] for r in ga_only["by_step"]} == {"accept": 1, "review": 0, "decide": 1}
    forbidden = await client.get(STATS, params={"department": "GA"}, headers=staff["rs"].headers)
    assert_error(forbidden, 403, "FORBIDDEN")
    for bad in ({"from": "2026-10-01", "to": "2026-09-01"}, {"from": "2026-13-01"}, {"department": "x" * 33}):
        assert_error(
            await client.get(STATS, params=bad, headers=staff["window"].headers), 422, "VALIDATION_ERROR"
        )
    # a period before any step: nothing finished, rates are null not zero divisions
    empty = (
        await client.get(
            STATS, params={"from": "2025-01-01", "to": "2025-01-31"}, headers=staff["supervisor"].headers
        )
    ).json()
    assert empty["by_step"] == [] and empty["by_post"] == []


async def test_step_facts_for_the_evaluation(database_url, settings, api, client):
    staff, walked, stuck, other = await _three_cases(client, api, settings)
    facts = await cases.step_facts(date(2026, 9, 1), date(2026, 9, 30))
    mine = sorted((x.case_id, x.step_code, x.finished_on, x.overdue) for x in facts)
    assert mine == [
        (walked, "accept", date(2026, 9, 9), True),
        (walked, "decide", None, True),  # open, limit 09-11: past it at the end of the period
        (walked, "review", date(2026, 9, 10), False),
        (stuck, "accept", None, True),
        (other, "accept", None, True),
    ]
    accept = next(x for x in facts if x.case_id == walked and x.step_code == "accept")
    assert (accept.department_code, accept.step_name, accept.post) == ("GA", "受理", "受理岗")
    assert (accept.holder_id, accept.started_on, accept.limit_on) == (
        staff["window"].id,
        date(2026, 9, 7),
        date(2026, 9, 8),
    )
    assert await cases.step_facts(date(2025, 1, 1), date(2025, 12, 31)) == []


async def test_hand_over_moves_open_steps_to_the_backup(database_url, settings, api, client):
    staff, _, stuck, _ = await _three_cases(client, api, settings)
    admin = Principal(staff["admin"].id, "admin")
    window, backup = staff["window"], staff["window2"]
    async with atomic():
        assert await cases.hand_over(window.id, backup.id, reason="AB角：休假", actor=admin) == [stuck]
    assert (await steps(client, backup, stuck))["current"]["holder_id"] == backup.id
    audited = await AuditLog.filter(action="case.step_holder", object_id=str(stuck)).first()
    assert audited.details["reason"] == "AB角：休假" and audited.details["to"] == backup.id

    # the return moves back only what B still holds of the cases named
    async with atomic():
        assert (
            await cases.hand_over(backup.id, window.id, reason="AB角：返岗", actor=admin, only_case_ids=[])
            == []
        )
        moved = await cases.hand_over(
            backup.id, window.id, reason="AB角：返岗", actor=admin, only_case_ids=[stuck]
        )
    assert moved == [stuck]
    # nothing held: nothing moved; another department's backup takes nothing of GA's
    async with atomic():
        assert await cases.hand_over(backup.id, window.id, reason="x", actor=admin) == []
        assert await cases.hand_over(window.id, staff["rs"].id, reason="x", actor=admin) == []
    # the backup must be a window clerk or approver
    with pytest.raises(ApiError) as refused:
        async with atomic():
            await cases.hand_over(window.id, staff["supervisor"].id, reason="x", actor=admin)
    assert refused.value.code == "HOLDER_INVALID"
