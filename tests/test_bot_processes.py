"""Two API processes behind one address: WeChat's retry of a message may reach the other one.
The in-test app and a real uvicorn process share the database (and Redis, when configured): a
retry gets the first answer without the work being redone (also a retry with the very same signed
query and body), that nonce carrying another body is refused by either process, and a retry of a
message answered "success" (over budget) gets "success" at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from bots import answers
from citizen_api import clock
from citizen_api.users.models import Follower
from notifications.models import Notification
from tests.bot_fixtures import WeChatPush, bot_client, event_xml, text_xml
from tests.catalog_fixtures import api_process
from tests.conftest import assert_error

BUDGET = 1.5  # seconds; WeChat's user/info is made slower than that in the last scenario


@pytest.fixture(params=["database", "redis"])
def redis_url(request) -> str:
    """Where both processes keep nonces and answers: the database, or a shared Redis."""
    return request.getfixturevalue("redis_dsn") if request.param == "redis" else ""


async def test_retries_and_replays_across_processes(tmp_path, database_url, redis_url, wechat_sim):
    env = {
        "ONETRIP_WECHAT_API_BASE": wechat_sim.base_url,
        "ONETRIP_REDIS_URL": redis_url,
        "ONETRIP_BOT_REPLY_BUDGET_SECONDS": str(BUDGET),
    }
    overrides = {"redis_url": redis_url, "bot_reply_budget_seconds": BUDGET}
    (tmp_path / "other").mkdir()
    with api_process(database_url, tmp_path / "other", **env) as other_base:
        async with (
            bot_client(tmp_path, database_url, wechat_sim.base_url, **overrides) as here,
            httpx.AsyncClient(base_url=other_base, timeout=15) as there,
        ):
            a, b = WeChatPush(here), WeChatPush(there)

            # a message answered by the other process; WeChat's retry reaches this one
            message = text_xml("o-across", "帮助", msg_id=6_200_000_000_000_000_001)
            first = b.open(await b.post(message))
            assert first["Content"] == answers.HELP
            seen = (await Follower.get(oa_openid="o-across")).last_message_at
            clock.advance(timedelta(seconds=20))  # this process's clock only: the work would show
            assert a.open(await a.post(message)) == first
            assert b.open(await b.post(message)) == first
            assert (await Follower.get(oa_openid="o-across")).last_message_at == seen

            # an event retried on the other process: the unionid is fetched once
            openid = wechat_sim.follow("grace")
            event = event_xml(openid, "subscribe")
            welcome = a.open(await a.post(event))
            assert welcome["Content"] == answers.WELCOME
            assert b.open(await b.post(event)) == welcome
            assert wechat_sim.state.calls.count("/cgi-bin/user/info") == 1

            # a signed request answered by one process is WeChat's retry on the other (answered
            # the same); its nonce carrying another message is refused by the other
            params, body = a.request(text_xml("o-across", "帮助"))
            answered = b.open(await b.send(params, body))
            assert a.open(await a.send(params, body)) == answered
            again = await a.post(
                text_xml("o-across", "指南 户口"), timestamp=int(params["timestamp"]), nonce=params["nonce"]
            )
            assert assert_error(again, 403, "FORBIDDEN")["details"] == {"reason": "replay"}

            # over budget: "success" (waiting for WeChat would have answered the welcome), and a
            # customer-service message later; the retry on the other process is answered "success"
            # without asking WeChat again (how long each takes: bench/waits.py)
            wechat_sim.fail("/cgi-bin/user/info", delay=BUDGET + 1.5)
            heidi = wechat_sim.follow("heidi")
            slow = event_xml(heidi, "subscribe")
            assert (await b.post(slow)).text == "success"
            assert (await a.post(slow)).text == "success"
            assert wechat_sim.state.calls.count("/cgi-bin/user/info") == 2  # grace's and heidi's
            followup = Notification.filter(event="bot.followup", to_openid=heidi)
            for _ in range(300):  # the slow work finishes after BUDGET + 1.5 s, then writes the welcome
                if await followup.count():
                    break
                await asyncio.sleep(0.05)
            assert [row.payload.get("text") for row in await followup] == [answers.WELCOME]
