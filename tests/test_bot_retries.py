"""WeChat's retries of a push, over the real HTTP server: WeChat re-sends a push it got no answer
to within 5 s with the very same query string and body (up to 3 times). Such a repeat is answered
again — the first answer, or "success" — and never processed twice, also while the first attempt
is still working and on another process. Only bad signatures, stale timestamps and a signed
(timestamp, nonce) pair reused with another body are refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from bots import answers
from citizen_api import clock
from citizen_api.users.models import Follower
from notifications.models import Notification
from tests.bot_fixtures import WeChatPush, bot_server, event_xml, text_xml
from tests.catalog_fixtures import api_process
from tests.conftest import assert_error

WINDOW = 300  # bot_timestamp_window_seconds (default)
USER_INFO = "/cgi-bin/user/info"


def custom_messages(wechat_sim, openid: str) -> list[dict]:
    return [m for m in wechat_sim.state.messages if m["kind"] == "custom" and m["touser"] == openid]


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_the_same_push_again_gets_the_same_answer_once_worked(tmp_path, database_url, wechat_sim, safe):
    async with bot_server(tmp_path, database_url, wechat_sim.base_url) as client:
        wechat = WeChatPush(client, safe=safe)

        # a subscription: the welcome, and the follower's unionid fetched from WeChat
        openid = wechat_sim.follow("ivan")
        params, body = wechat.request(event_xml(openid, "subscribe"))
        first = await wechat.send(params, body)
        welcome = wechat.open(first)
        assert welcome["Content"] == answers.WELCOME and welcome["ToUserName"] == openid
        for _ in range(3):  # WeChat's retries: the same query string, the same body
            clock.advance(timedelta(seconds=5))
            retry = await wechat.send(params, body)
            assert retry.status_code == 200
            assert wechat.open(retry) == welcome  # decrypted: the same answer, to the CreateTime
            if not safe:
                assert retry.content == first.content
        assert wechat_sim.state.calls.count(USER_INFO) == 1  # the work was done once

        # a text command: the follower's last message time is the first delivery's
        params, body = wechat.request(text_xml(openid, "帮助"))
        answer = wechat.open(await wechat.send(params, body))
        assert answer["Content"] == answers.HELP
        seen = (await Follower.get(oa_openid=openid)).last_message_at
        clock.advance(timedelta(seconds=5))
        assert wechat.open(await wechat.send(params, body)) == answer
        assert (await Follower.get(oa_openid=openid)).last_message_at == seen

        # a push with nothing to answer: "success" again, and not redone
        params, body = wechat.request(event_xml(openid, "unsubscribe"))
        assert (await wechat.send(params, body)).text == "success"
        gone = (await Follower.get(oa_openid=openid)).unsubscribed_at
        clock.advance(timedelta(seconds=5))
        retry = await wechat.send(params, body)
        assert retry.status_code == 200 and retry.text == "success"
        assert (await Follower.get(oa_openid=openid)).unsubscribed_at == gone


async def test_a_retry_while_the_first_attempt_works(tmp_path, database_url, wechat_sim):
    """Inside the budget the retry waits for the first answer; over it, both answer "success" and
    the answer follows once, as a customer-service message."""
    async with bot_server(
        tmp_path, database_url, wechat_sim.base_url, bot_reply_budget_seconds=3.0
    ) as client:
        wechat = WeChatPush(client)
        wechat_sim.fail(USER_INFO, delay=1.0)  # the first attempt takes a second
        openid = wechat_sim.follow("judy")
        params, body = wechat.request(event_xml(openid, "subscribe"))
        both = await asyncio.gather(wechat.send(params, body), wechat.send(params, body))
        assert [wechat.open(r)["Content"] for r in both] == [answers.WELCOME] * 2
        assert wechat_sim.state.calls.count(USER_INFO) == 1

    (tmp_path / "over").mkdir()
    async with bot_server(
        tmp_path / "over", database_url, wechat_sim.base_url, bot_reply_budget_seconds=0.3
    ) as client:
        wechat = WeChatPush(client)
        wechat_sim.fail(USER_INFO, delay=1.5)  # longer than the budget
        openid = wechat_sim.follow("mallory")
        params, body = wechat.request(event_xml(openid, "subscribe"))
        calls = wechat_sim.state.calls.count(USER_INFO)
        assert (await wechat.send(params, body)).text == "success"
        # the first attempt is still waiting for WeChat: redoing it would ask WeChat again now
        retry = await wechat.send(params, body)
        assert retry.status_code == 200 and retry.text == "success"
        assert wechat_sim.state.calls.count(USER_INFO) == calls + 1
        for _ in range(200):  # the welcome follows as a customer-service message
            if custom_messages(wechat_sim, openid):
                break
            await asyncio.sleep(0.05)
        assert [m["text"]["content"] for m in custom_messages(wechat_sim, openid)] == [answers.WELCOME]
        # once it is done, a last retry is "success" at once, and nothing is sent again
        assert (await wechat.send(params, body)).text == "success"
        assert wechat_sim.state.calls.count(USER_INFO) == calls + 1
        assert await Notification.filter(event="bot.followup", to_openid=openid).count() == 1


@pytest.fixture(params=["database", "redis"])
def redis_url(request) -> str:
    """Where both processes keep nonces and answers: the database, or a shared Redis."""
    return request.getfixturevalue("redis_dsn") if request.param == "redis" else ""


async def test_a_retry_reaching_another_process(tmp_path, database_url, redis_url, wechat_sim):
    env = {"ONETRIP_WECHAT_API_BASE": wechat_sim.base_url, "ONETRIP_REDIS_URL": redis_url}
    (tmp_path / "other").mkdir()
    with api_process(database_url, tmp_path / "other", **env) as other_base:
        async with (
            bot_server(tmp_path, database_url, wechat_sim.base_url, redis_url=redis_url) as here,
            httpx.AsyncClient(base_url=other_base, timeout=15) as there,
        ):
            a, b = WeChatPush(here), WeChatPush(there)
            openid = wechat_sim.follow("kate")
            params, body = a.request(event_xml(openid, "subscribe"))
            welcome = b.open(await b.send(params, body))
            assert welcome["Content"] == answers.WELCOME
            assert a.open(await a.send(params, body)) == welcome
            assert wechat_sim.state.calls.count(USER_INFO) == 1

            # both processes get the push at once; one works, the other waits for its answer
            wechat_sim.fail(USER_INFO, delay=1.0)
            openid = wechat_sim.follow("leo")
            params, body = a.request(event_xml(openid, "subscribe"))
            both = await asyncio.gather(a.send(params, body), b.send(params, body))
            assert [a.open(r)["Content"] for r in both] == [answers.WELCOME] * 2
            assert wechat_sim.state.calls.count(USER_INFO) == 2

            # the pair signed for that push, carrying another message, is refused by either
            other = text_xml("o-intruder", "帮助")
            for wechat in (a, b):
                again = await wechat.post(other, timestamp=int(params["timestamp"]), nonce=params["nonce"])
                assert assert_error(again, 403, "FORBIDDEN")["details"] == {"reason": "replay"}
            assert not await Follower.exists(oa_openid="o-intruder")


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_a_captured_signature_with_another_body_is_refused(tmp_path, database_url, wechat_sim, safe):
    async with bot_server(tmp_path, database_url, wechat_sim.base_url) as client:
        wechat = WeChatPush(client, safe=safe)
        params, body = wechat.request(text_xml("o-victim", "帮助"))
        answer = wechat.open(await wechat.send(params, body))
        # an attacker puts their own message under the captured query string
        _, forged = wechat.request(text_xml("o-intruder", "指南 户口"))
        error = assert_error(await wechat.send(params, forged), 403, "FORBIDDEN")
        # safe mode: msg_signature covers the ciphertext; plaintext: the pair was seen with another body
        assert error["details"] == {"reason": "signature" if safe else "replay"}
        # the same pair, freshly signed over another body (WeChat never does this): a replay too
        again = await wechat.post(
            text_xml("o-intruder", "帮助"), timestamp=int(params["timestamp"]), nonce=params["nonce"]
        )
        assert assert_error(again, 403, "FORBIDDEN")["details"] == {"reason": "replay"}
        assert not await Follower.exists(oa_openid="o-intruder")
        # WeChat's own retry of the genuine push is still answered
        assert wechat.open(await wechat.send(params, body)) == answer


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_bad_signatures_and_stale_timestamps_are_still_refused(
    tmp_path, database_url, wechat_sim, safe
):
    async with bot_server(tmp_path, database_url, wechat_sim.base_url) as client:
        wechat = WeChatPush(client, safe=safe)
        params, body = wechat.request(text_xml("o-nina", "帮助"))
        assert wechat.open(await wechat.send(params, body))["Content"] == answers.HELP
        name = "msg_signature" if safe else "signature"
        error = assert_error(await wechat.send({**params, name: "0" * 40}, body), 403, "FORBIDDEN")
        assert error["details"] == {"reason": "signature"}
        now = int(clock.now().timestamp())
        for ts in (now - WINDOW - 5, now + WINDOW + 5):  # clear of the sub-second drift
            error = assert_error(
                await wechat.post(text_xml("o-olga", "帮助"), timestamp=ts), 403, "FORBIDDEN"
            )
            assert error["details"] == {"reason": "timestamp"}
        # the genuine push repeated once its timestamp is stale: refused too
        clock.advance(timedelta(seconds=WINDOW + 5))
        error = assert_error(await wechat.send(params, body), 403, "FORBIDDEN")
        assert error["details"] == {"reason": "timestamp"}
        assert not await Follower.exists(oa_openid="o-olga")


async def test_a_late_repeat_inside_the_window_is_not_redone(tmp_path, database_url, wechat_sim):
    """WeChat's clock may run ahead: a push stamped almost a window ahead stays acceptable for
    nearly two windows. Its repeat still gets the first answer then, without the work redone."""
    async with bot_server(tmp_path, database_url, wechat_sim.base_url) as client:
        wechat = WeChatPush(client)
        ahead = int(clock.now().timestamp()) + WINDOW - 10
        params, body = wechat.request(text_xml("o-pete", "帮助"), timestamp=ahead)
        answer = wechat.open(await wechat.send(params, body))
        seen = (await Follower.get(oa_openid="o-pete")).last_message_at
        clock.advance(timedelta(seconds=2 * WINDOW - 50))  # the timestamp is 240 s old now
        assert wechat.open(await wechat.send(params, body)) == answer
        assert (await Follower.get(oa_openid="o-pete")).last_message_at == seen
