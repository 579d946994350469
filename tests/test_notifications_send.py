"""A status change reaches the citizen's WeChat exactly once, over real HTTP to the simulator."""

from __future__ import annotations

import re

from infra.simulators.wechat import openid_for
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE

SUBSCRIBE = "/cgi-bin/message/subscribe/send"
LONG_ITEM = "企业投资项目备案（含变更、延期及项目信息修改等多种情形的办理）"


async def test_transition_sends_one_message_to_the_right_openid_within_limits(napp):
    user_id, headers = await napp.citizen("alice")
    await napp.grant(headers, CASE_TEMPLATE)

    row_id = await napp.transition(
        user_id,
        "case.accepted",
        {"number": "A20260301000123", "item_name": LONG_ITEM, "deadline": "2026-03-20", "note": "材料齐全"},
    )
    row = await napp.settled(row_id)

    assert (row.status, row.channel, row.attempts) == ("sent", "subscribe", 1)
    [message] = napp.messages()
    assert message["touser"] == openid_for("alice")
    assert message["template_id"] == CASE_TEMPLATE
    assert message["page"] == "pages/case/detail?number=A20260301000123"
    data = {key: item["value"] for key, item in message["data"].items()}
    assert data["character_string1"] == "A20260301000123"
    assert len(data["thing2"]) == 20 and data["thing2"].endswith("…")
    assert LONG_ITEM.startswith(data["thing2"][:-1])
    assert data["phrase3"] == "已受理"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", data["time4"])
    assert data["thing5"] == "材料齐全"

    # the grant is spent: the next change has none and is not sent by subscribe message
    templates = (await napp.client.get("/api/v1/me/templates", headers=headers)).json()
    assert templates["grants"][CASE_TEMPLATE] == 0
    approved = await napp.transition(user_id, "case.approved", {"number": "A20260301000123"})
    second = await napp.settled(approved)
    assert second.status == "skipped"
    assert len(napp.messages()) == 1


async def test_no_grant_means_no_message(napp):
    user_id, _ = await napp.citizen("bob")
    row_id = await napp.transition(user_id, "case.submitted", {"number": "B1", "item_name": "x"})
    row = await napp.settled(row_id)
    assert row.status == "skipped"
    assert "no subscribe grant" in row.reason
    assert "not following the official account" in row.reason
    assert napp.messages() == []
    assert napp.calls(SUBSCRIBE) == 0


async def test_rejected_grant_is_not_a_grant(napp):
    user_id, headers = await napp.citizen("carol")
    answer = await napp.grant(headers, CASE_TEMPLATE, answer="reject")
    assert answer["grants"].get(CASE_TEMPLATE, 0) == 0
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "C1"}))
    assert row.status == "skipped"
    assert napp.messages() == []


async def test_invalid_token_is_refreshed_and_the_send_retried_once(napp):
    user_id, headers = await napp.citizen("dave")
    await napp.grant(headers, CASE_TEMPLATE)
    assert (await napp.grant(headers, CASE_TEMPLATE))["grants"][CASE_TEMPLATE] == 2  # one per tap
    first = await napp.settled(await napp.transition(user_id, "case.submitted", {"number": "D1"}))
    assert first.status == "sent"
    token_fetches = napp.sim.state.token_calls

    napp.sim.expire_tokens()  # WeChat no longer knows the cached token: the next send gets 40001
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "D1"}))

    assert (row.status, row.attempts) == ("sent", 1)
    assert napp.calls(SUBSCRIBE) == 3  # first message, the refused try, the retry
    assert napp.sim.state.token_calls == token_fetches + 1
    assert [m["data"]["phrase3"]["value"] for m in napp.messages()] == ["已提交", "已受理"]


async def test_invalid_token_twice_is_one_failed_attempt_not_a_loop(napp):
    user_id, headers = await napp.citizen("erin")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, 40001, times=2)
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "E1"}))
    # attempt 1: 40001, refresh, 40001 again → failed; attempt 2 (backoff 0 here) → sent
    assert (row.status, row.attempts) == ("sent", 2)
    assert napp.calls(SUBSCRIBE) == 3
    assert len(napp.messages()) == 1


async def test_user_refused_43101_spends_the_grant_without_retry(napp):
    user_id, headers = await napp.citizen("frank")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, 43101, times=5)
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "F1"}))
    assert row.status == "skipped"
    assert "43101" in row.reason
    assert napp.calls(SUBSCRIBE) == 1
    templates = (await napp.client.get("/api/v1/me/templates", headers=headers)).json()
    assert templates["grants"][CASE_TEMPLATE] == 0
    assert napp.messages() == []


async def test_rate_limit_backs_off_without_using_up_attempts(napp):
    user_id, headers = await napp.citizen("gina")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, -1, times=1)  # "system busy"
    row_id = await napp.transition(user_id, "case.accepted", {"number": "G1"})
    row = await napp.settled(row_id)
    assert (row.status, row.attempts) == ("sent", 1)  # the busy answer did not count as a failure
    assert napp.calls(SUBSCRIBE) == 2
    assert len(napp.messages()) == 1
