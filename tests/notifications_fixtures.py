"""Fixtures for the notification and bot tests: the real app (SQLite or PostgreSQL, optionally
Redis) with its state at hand, a citizen logged in through the WeChat simulator, signed pushes."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.db import atomic
from citizen_api.settings import DEV_OA_TOKEN
from infra.simulators.wechat import WeChatSimulator
from notifications import outbox
from notifications.models import Notification
from tests.conftest import make_settings

__all__ = ["napp", "notify_overrides"]  # the fixtures test modules take with ``import *``

CASE_TEMPLATE = "dev-mp-case-progress"
APPOINTMENT_TEMPLATE = "dev-mp-appointment"
SETTLED = ("sent", "skipped", "dead")


@dataclass
class NotifyApp:
    client: httpx.AsyncClient
    state: Any
    sim: WeChatSimulator

    @property
    def settings(self):
        return self.state.settings

    async def citizen(self, name: str = "alice") -> tuple[int, dict[str, str]]:
        resp = await self.client.post("/api/v1/auth/wechat", json={"code": f"dev-{name}"})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        return body["user"]["id"], {"Authorization": f"Bearer {body['access_token']}"}

    async def grant(self, headers: dict[str, str], *template_ids: str, answer: str = "accept") -> dict:
        resp = await self.client.post(
            "/api/v1/me/subscriptions", json={"grants": dict.fromkeys(template_ids, answer)}, headers=headers
        )
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def transition(self, user_id: int, event: str, payload: dict, audience: str = "citizen") -> int:
        """What a domain does on a status change: the outbox row in its transaction, then a kick."""
        async with atomic():
            row_id = await outbox.enqueue(user_id, event, payload, audience=audience)
        self.state.dispatcher.kick()
        assert row_id is not None
        return row_id

    async def settled(self, row_id: int) -> Notification:
        """Wait until the dispatcher is done with a row (sent, skipped or dead); 15 s at most."""
        deadline = time.monotonic() + 15.0
        while True:
            row = await Notification.get(id=row_id)
            if row.status in SETTLED or time.monotonic() > deadline:
                return row
            await asyncio.sleep(0.05)

    def messages(self, kind: str | None = None) -> list[dict]:
        return [m for m in self.sim.state.messages if kind is None or m["kind"] == kind]

    def calls(self, path: str) -> int:
        return self.sim.state.calls.count(path)


@pytest.fixture
def notify_overrides(request) -> dict[str, Any]:
    """Settings for ``napp``: ``@pytest.mark.parametrize("notify_overrides", [{…}], indirect=True)``
    on a test, or a fixture of the same name in a test module."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
async def napp(tmp_path, database_url, wechat_sim, notify_overrides):
    values = {"notify_backoff_base_seconds": 0.0, "notify_poll_seconds": 0.2, **notify_overrides}
    settings = make_settings(tmp_path, database_url, wechat_sim.base_url, **values)
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30) as manager:
        state = manager._state["app"]
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield NotifyApp(client=client, state=state, sim=wechat_sim)


# -- the official account's pushes -----------------------------------------------------------------
def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def push_params(token: str = DEV_OA_TOKEN, *, timestamp: int | None = None, nonce: str | None = None) -> dict:
    ts = str(int(clock.now().timestamp()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(6)
    return {"timestamp": ts, "nonce": nonce, "signature": sign(token, ts, nonce)}


def text_xml(from_user: str, content: str, msg_id: int | None = None, to_user: str = "gh_onetrip") -> str:
    msg_id = msg_id if msg_id is not None else secrets.randbelow(10**15)
    return (
        f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName>"
        f"<FromUserName><![CDATA[{from_user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(from_user: str, event: str, key: str = "", create_time: int | None = None) -> str:
    created = create_time if create_time is not None else int(time.time())
    return (
        f"<xml><ToUserName><![CDATA[gh_onetrip]]></ToUserName>"
        f"<FromUserName><![CDATA[{from_user}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
    )


async def push(client: httpx.AsyncClient, xml: str, **params_overrides) -> httpx.Response:
    """A plaintext-mode push, signed like WeChat signs it."""
    params = push_params()
    params.update(params_overrides)
    return await client.post("/wechat/official", params=params, content=xml.encode())


def reply_content(xml_text: str) -> str:
    from bots.xmlmsg import parse

    return parse(xml_text.encode())["Content"]


# -- a periodic job for the registry tests ------------------------------------------------------------
SAMPLE_JOB_RUNS: list[Any] = []


async def sample_job(ctx) -> int:
    SAMPLE_JOB_RUNS.append(ctx.now)
    return len(SAMPLE_JOB_RUNS)
