"""效能考评 over steps that cross a month's end, over HTTP on SQLite and PostgreSQL (issue 18).

A step counts in the month it is finished in; one not finished by a month's last day counts in that
month only when already past its limit then. The dates decide, not the step's state when a month is
computed: a recompute after later work gives a month the figures it had, and a step started in
September and finished in October counts once, in October.
"""

from __future__ import annotations

import pytest

from citizen_api import clock
from tests import cases_fixtures as f
from tests.case_steps_fixtures import complete, hall, stepped_item, steps
from tests.conftest import make_settings

BASE = "/api/v1/staff/performance"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


async def _steps_text(client, headers, month: str, level: str = "department") -> dict[str, str]:
    """Each row's 环节超期 figures as the ranking shows them, after (re)computing the month."""
    assert (await client.post(f"{BASE}/{month}/compute", headers=headers)).status_code == 200
    body = (await client.get(f"{BASE}/{month}", params={"level": level}, headers=headers)).json()
    return {r["label"]: {p["name"]: p["text"] for p in r["parts"]}["steps_overdue"] for r in body["rows"]}


async def test_a_step_across_the_months_end_counts_where_it_is_finished(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 29))  # Tuesday; 受理 1 working day, 审查 3 (the National Day holiday between)
    item = await stepped_item()
    staff = await hall(settings)
    sup = staff["supervisor"].headers
    alice = await f.citizen(api, client)
    case_id = (await f.submit(client, alice, item))["id"]
    assert (await f.act(client, staff["window"].headers, case_id, "accept")).status_code == 200

    clock.set_now(f.at(2026, 9, 30))  # 受理 on time; 审查 starts with the approver, its limit in October
    assert (
        await complete(client, staff["window"], case_id, next_holder_id=staff["approver"].id)
    ).status_code == 200
    review = (await steps(client, staff["approver"], case_id))["current"]
    assert (review["code"], review["started_on"]) == ("review", "2026-09-30")
    assert review["limit_on"] > "2026-09-30"

    clock.set_now(f.at(2026, 10, 8))
    september = await _steps_text(client, sup, "2026-09", "staff")
    # 受理 counts for the clerk; 审查, within its limit on 09-30, waits for the month it is finished in
    assert september == {"ga-window": "0/1 个环节超期"}

    clock.set_now(f.at(2026, 10, 15))  # 审查 finished late; 决定 starts and is left past its limit
    assert (await complete(client, staff["approver"], case_id)).status_code == 200
    decide = (await steps(client, staff["approver"], case_id))["current"]
    assert decide["code"] == "decide" and decide["limit_on"] < "2026-10-31"
    assert await _steps_text(client, sup, "2026-09", "staff") == september  # the recompute: as it was

    clock.set_now(f.at(2026, 11, 2))
    assert await _steps_text(client, sup, "2026-10", "staff") == {"ga-approver": "2/2 个环节超期"}
    assert await _steps_text(client, sup, "2026-10") == {"公安局": "2/2 个环节超期"}
    assert await _steps_text(client, sup, "2026-09") == {"公安局": "0/1 个环节超期"}
