"""A local stand-in for WeChat's server API, on loopback, for tests and ``make run``.

It answers like WeChat does (errcodes, not HTTP errors), records every message it receives, and
can be told to fail: ``POST /_sim/faults {"path": "/cgi-bin/message/subscribe/send",
"errcode": 40001, "times": 1}``. Login codes: ``dev-<anything>`` → a stable openid and unionid
derived from it; ``nounion-<anything>`` → an openid without unionid; anything else → 40029.

Official-account followers: ``follow(name)`` (or ``POST /_sim/followers {"name": …}``) registers
``openid_for(name, "oa")`` so that ``/cgi-bin/user/info`` answers its ``unionid_for(name)``.
Tokens are per appid (``stable_token`` hands every caller the same one until forced). Template
messages honour ``client_msg_id`` like WeChat: one message per openid + id within 10 minutes
(the repeats are counted in ``/_sim/stats`` as ``suppressed``).

Run it alone: ``python -m infra.simulators.wechat --port 9100``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from infra.simulators._server import LoopbackServer

# WeChat's documented keyword limits for subscribe messages (characters)
KEYWORD_LIMITS = {
    "thing": 20,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "phrase": 5,
    "name": 20,
    "phone_number": 17,
    "car_number": 8,
}


def openid_for(code_name: str, kind: str = "mp") -> str:
    return "o" + hashlib.sha256(f"{kind}:{code_name}".encode()).hexdigest()[:27]


def unionid_for(code_name: str) -> str:
    return "u" + hashlib.sha256(f"union:{code_name}".encode()).hexdigest()[:27]


@dataclass
class Fault:
    path: str
    errcode: int = 0
    status: int = 200
    times: int = 1
    delay: float = 0.0


@dataclass
class SimState:
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    token_calls: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    used_codes: set[str] = field(default_factory=set)
    stable_tokens: dict[str, str] = field(default_factory=dict)  # appid -> its current stable token
    followers: dict[str, str] = field(default_factory=dict)  # OA openid -> unionid
    client_msg_ids: dict[tuple[str, str], float] = field(default_factory=dict)
    suppressed: int = 0


class WeChatSimulator(LoopbackServer):
    def __init__(self, *, one_time_codes: bool = False) -> None:
        super().__init__()
        self.state = SimState()
        self.one_time_codes = one_time_codes
        self.app = web.Application()
        self.app.add_routes(
            [
                web.get("/sns/jscode2session", self.jscode2session),
                web.get("/cgi-bin/token", self.token),
                web.post("/cgi-bin/stable_token", self.stable_token),
                web.post("/cgi-bin/message/subscribe/send", self.subscribe_send),
                web.post("/cgi-bin/message/template/send", self.template_send),
                web.post("/cgi-bin/message/custom/send", self.custom_send),
                web.get("/cgi-bin/user/info", self.user_info),
                web.post("/_sim/followers", self.add_follower),
                web.get("/_sim/messages", self.list_messages),
                web.delete("/_sim/messages", self.reset),
                web.post("/_sim/faults", self.add_fault),
                web.get("/_sim/stats", self.stats),
            ]
        )
        self.app.middlewares.append(self._fault_middleware)

    # -- faults ----------------------------------------------------------------------------------
    @web.middleware
    async def _fault_middleware(self, request: web.Request, handler):
        if not request.path.startswith("/_sim"):
            self.state.calls.append(request.path)
            for fault in self.state.faults:
                if fault.path == request.path and fault.times > 0:
                    fault.times -= 1
                    if fault.delay:
                        import asyncio

                        await asyncio.sleep(fault.delay)
                    if fault.status != 200:
                        return web.Response(status=fault.status, text="simulated failure")
                    if fault.errcode:
                        return _err(fault.errcode, "simulated")
        return await handler(request)

    async def add_fault(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.state.faults.append(Fault(**data))
        return web.json_response({"ok": True})

    def fail(
        self, path: str, errcode: int = 0, *, status: int = 200, times: int = 1, delay: float = 0.0
    ) -> None:
        self.state.faults.append(Fault(path=path, errcode=errcode, status=status, times=times, delay=delay))

    # -- login -----------------------------------------------------------------------------------
    async def jscode2session(self, request: web.Request) -> web.Response:
        q = request.query
        if not q.get("appid") or not q.get("secret") or q.get("grant_type") != "authorization_code":
            return _err(40013, "invalid appid")
        code = q.get("js_code", "")
        if self.one_time_codes and code in self.state.used_codes:
            return _err(40163, "code been used")
        if code.startswith("dev-"):
            self.state.used_codes.add(code)
            name = code[4:]
            return _ok(
                {
                    "openid": openid_for(name),
                    "session_key": secrets.token_urlsafe(16),
                    "unionid": unionid_for(name),
                }
            )
        if code.startswith("nounion-"):
            self.state.used_codes.add(code)
            return _ok({"openid": openid_for(code[8:]), "session_key": secrets.token_urlsafe(16)})
        return _err(40029, "invalid code")

    # -- tokens ----------------------------------------------------------------------------------
    def _issue(self) -> str:
        token = "SIM_" + secrets.token_urlsafe(24)
        self.state.tokens[token] = time.time() + 7200
        self.state.token_calls += 1
        return token

    async def token(self, request: web.Request) -> web.Response:
        if request.query.get("grant_type") != "client_credential":
            return _err(40002, "invalid grant_type")
        # a new ordinary token invalidates every earlier one (WeChat keeps it 5 more minutes;
        # the simulator is stricter so that tests catch processes fighting over the token)
        self.state.tokens.clear()
        token = self._issue()
        return _ok({"access_token": token, "expires_in": 7200})

    async def stable_token(self, request: web.Request) -> web.Response:
        body = await _json(request)
        appid = body.get("appid")
        if body.get("grant_type") != "client_credential" or not appid or not body.get("secret"):
            return _err(40002, "invalid grant_type")
        current = self.state.stable_tokens.get(appid)
        if body.get("force_refresh") or current is None or current not in self.state.tokens:
            if current:
                self.state.tokens.pop(current, None)
            current = self.state.stable_tokens[appid] = self._issue()
        return _ok({"access_token": current, "expires_in": int(self.state.tokens[current] - time.time())})

    def expire_tokens(self) -> None:
        """Make every issued token invalid (the next send answers 40001)."""
        self.state.tokens.clear()
        self.state.stable_tokens.clear()

    def _check_token(self, request: web.Request) -> web.Response | None:
        token = request.query.get("access_token", "")
        expires = self.state.tokens.get(token)
        if expires is None:
            return _err(40001, "invalid credential, access_token is invalid or not latest")
        if expires < time.time():
            return _err(42001, "access_token expired")
        return None

    # -- messages --------------------------------------------------------------------------------
    async def subscribe_send(self, request: web.Request) -> web.Response:
        if (bad := self._check_token(request)) is not None:
            return bad
        body = await _json(request)
        if not body.get("touser") or not body.get("template_id"):
            return _err(47001, "data format error")
        if (bad := _check_keywords(body)) is not None:
            return bad
        return self._record("subscribe", body)

    async def template_send(self, request: web.Request) -> web.Response:
        if (bad := self._check_token(request)) is not None:
            return bad
        body = await _json(request)
        if not body.get("touser") or not body.get("template_id"):
            return _err(47001, "data format error")
        if (bad := _check_keywords(body)) is not None:
            return bad
        client_msg_id = body.get("client_msg_id")
        if client_msg_id:
            key = (str(body["touser"]), str(client_msg_id))
            seen = self.state.client_msg_ids.get(key)
            if seen is not None and time.time() - seen < 600:
                # WeChat's documented behaviour: the repeat is accepted and not delivered again
                self.state.suppressed += 1
                return _ok({"msgid": 0})
            self.state.client_msg_ids[key] = time.time()
        return self._record("template", body)

    async def custom_send(self, request: web.Request) -> web.Response:
        if (bad := self._check_token(request)) is not None:
            return bad
        body = await _json(request)
        if not body.get("touser") or not body.get("msgtype"):
            return _err(47001, "data format error")
        return self._record("custom", body)

    def _record(self, kind: str, body: dict[str, Any]) -> web.Response:
        msgid = len(self.state.messages) + 1
        self.state.messages.append({"kind": kind, "msgid": msgid, "at": time.time(), **body})
        return _ok({"msgid": msgid})

    async def list_messages(self, request: web.Request) -> web.Response:
        return web.json_response(self.state.messages)

    async def reset(self, request: web.Request) -> web.Response:
        self.state = SimState()
        return web.json_response({"ok": True})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "messages": len(self.state.messages),
                "token_calls": self.state.token_calls,
                "calls": len(self.state.calls),
                "suppressed": self.state.suppressed,
            }
        )

    # -- official-account followers --------------------------------------------------------------
    def follow(self, name: str, *, with_unionid: bool = True) -> str:
        """Register a follower of the official account; returns its OA openid."""
        openid = openid_for(name, "oa")
        self.state.followers[openid] = unionid_for(name) if with_unionid else ""
        return openid

    async def add_follower(self, request: web.Request) -> web.Response:
        body = await _json(request)
        name = str(body.get("name", ""))
        if not name:
            return _err(47001, "data format error")
        openid = self.follow(name, with_unionid=body.get("with_unionid", True) is not False)
        return web.json_response({"openid": openid, "unionid": self.state.followers[openid] or None})

    async def user_info(self, request: web.Request) -> web.Response:
        if (bad := self._check_token(request)) is not None:
            return bad
        openid = request.query.get("openid", "")
        if openid not in self.state.followers:
            return _err(40003, "invalid openid")
        info: dict[str, Any] = {"subscribe": 1, "openid": openid, "language": "zh_CN"}
        if self.state.followers[openid]:
            info["unionid"] = self.state.followers[openid]
        return _ok(info)


_TIME_VALUE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\d{2}:\d{2}|\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?)$"
)


def _check_keywords(body: dict[str, Any]) -> web.Response | None:
    """WeChat's keyword rules: limits per type, no empty values, times in a known format."""
    data = body.get("data") or {}
    if not isinstance(data, dict):
        return _err(47001, "data format error")
    for key, item in data.items():
        kind = key.rstrip("0123456789")
        value = str((item or {}).get("value", "")) if isinstance(item, dict) else ""
        limit = KEYWORD_LIMITS.get(kind)
        if kind == "name" and re.search(r"[\u4e00-\u9fff]", value):
            limit = 10
        if limit is not None and len(value) > limit:
            return _err(47003, f"argument invalid! data.{key}.value exceeds limit")
        if not value.strip():
            return _err(47003, f"argument invalid! data.{key}.value is empty")
        if kind in ("time", "date") and not _TIME_VALUE.match(value):
            return _err(47003, f"argument invalid! data.{key}.value is not a time")
    return None


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.read() or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _ok(data: dict[str, Any]) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **data})


def _err(errcode: int, errmsg: str) -> web.Response:
    return web.json_response({"errcode": errcode, "errmsg": errmsg})


def main() -> None:
    parser = argparse.ArgumentParser(description="Local WeChat API simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    args = parser.parse_args()
    sim = WeChatSimulator()
    print(f"WeChat simulator on http://{args.host}:{args.port}", flush=True)
    web.run_app(sim.app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
