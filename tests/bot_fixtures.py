"""The official-account bot tests' helpers: WeChat's side of the push protocol and the app with
chosen bot settings.

Requests are built as WeChat builds them: SHA1 ``signature`` over token/timestamp/nonce, and in
safe mode the message sealed by wechatpy's ``WeChatCrypto`` (an implementation independent of
``bots.crypto``) with ``msg_signature`` over the ciphertext. Replies are opened with wechatpy too,
which also checks their signature. Defaults are WeChat's published sample token, EncodingAESKey
and appid (the development defaults of the settings).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from xml.etree import ElementTree

import httpx
import uvicorn
from asgi_lifespan import LifespanManager
from wechatpy.crypto import WeChatCrypto

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.settings import DEV_OA_AES_KEY, DEV_OA_APPID, DEV_OA_TOKEN
from tests.conftest import LOOPBACK_LIMITS, make_settings

PATH = "/wechat/official"
ACCOUNT = "gh_onetrip_demo"  # the account's own id (ToUserName of pushes)
_msg_ids = itertools.count(7_000_000_000_000_000_001)


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def cdata(text: str) -> str:
    return "<![CDATA[" + text + "]]>"


def text_xml(openid: str, content: str, *, msg_id: int | None = None, create_time: int | None = None) -> str:
    create_time = create_time if create_time is not None else int(clock.now().timestamp())
    return (
        f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(content)}</Content><MsgId>{msg_id or next(_msg_ids)}</MsgId></xml>"
    )


def event_xml(openid: str, event: str, *, key: str = "", create_time: int | None = None) -> str:
    create_time = create_time if create_time is not None else int(clock.now().timestamp())
    return (
        f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType>{cdata('event')}</MsgType>"
        f"<Event>{cdata(event)}</Event><EventKey>{cdata(key)}</EventKey></xml>"
    )


def fields(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(xml)}


class WeChatPush:
    """WeChat's server pushing messages to the account's server (``client`` may be any httpx
    client: the in-process app or a real server over loopback)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        safe: bool = True,
        token: str = DEV_OA_TOKEN,
        aes_key: str = DEV_OA_AES_KEY,
        appid: str = DEV_OA_APPID,
    ) -> None:
        self.client = client
        self.safe = safe
        self.token = token
        self.appid = appid
        self.crypto = WeChatCrypto(token, aes_key, appid)

    def request(self, xml: str, *, timestamp: int | None = None, nonce: str | None = None):
        """(query parameters, body) of one push, as WeChat sends it."""
        ts = str(timestamp if timestamp is not None else int(clock.now().timestamp()))
        nonce = nonce or str(secrets.randbelow(10**10))
        params = {"signature": sign(self.token, ts, nonce), "timestamp": ts, "nonce": nonce}
        if not self.safe:
            return params, xml.encode()
        envelope = fields(self.crypto.encrypt_message(xml, nonce, ts))
        params.update(openid="o-unused", encrypt_type="aes", msg_signature=envelope["MsgSignature"])
        sealed = cdata(envelope["Encrypt"])
        body = f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><Encrypt>{sealed}</Encrypt></xml>"
        return params, body.encode()

    async def post(self, xml: str, **kwargs) -> httpx.Response:
        params, body = self.request(xml, **kwargs)
        return await self.send(params, body)

    async def send(self, params: dict, body: bytes) -> httpx.Response:
        return await self.client.post(PATH, params=params, content=body, headers={"Content-Type": "text/xml"})

    def open(self, resp: httpx.Response) -> dict[str, str]:
        """The reply's fields ({} for "success"); in safe mode its signature is checked too."""
        assert resp.status_code == 200, resp.text
        if resp.text == "success":
            return {}
        assert resp.headers["content-type"].startswith("application/xml")
        if not self.safe:
            return fields(resp.text)
        envelope = fields(resp.text)
        plain = self.crypto.decrypt_message(
            resp.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
        )
        return fields(plain)

    async def say(self, openid: str, content: str, **kwargs) -> str:
        """Send a text message; the text of the answer."""
        reply = self.open(await self.post(text_xml(openid, content, **kwargs)))
        assert reply["MsgType"] == "text" and reply["ToUserName"] == openid, reply
        assert reply["FromUserName"] == ACCOUNT
        return reply["Content"]


@asynccontextmanager
async def bot_client(
    tmp_path, database_url: str, wechat_base: str, **overrides
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with these settings (e.g. a rotated EncodingAESKey, Redis), over httpx."""
    settings = make_settings(tmp_path, database_url, wechat_base, **overrides)
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@asynccontextmanager
async def bot_server(
    tmp_path, database_url: str, wechat_base: str, **overrides
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app under uvicorn on a loopback port (in this process: ``clock`` moves it), and an
    httpx client talking to it over real HTTP, as WeChat's servers do."""
    settings = make_settings(tmp_path, database_url, wechat_base, **overrides)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(create_app(settings), lifespan="on", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(6000):  # a cold start under CI load may take a while
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "the app did not start"
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=LOOPBACK_LIMITS) as client:
            yield client
    finally:
        server.should_exit = True
        await task
        sock.close()
