"""WeChat server API over aiohttp (never wechatpy's blocking client on the event loop).

Every call goes through ``ONETRIP_WECHAT_API_BASE`` so that tests and ``make run`` talk to the
local simulator and production talks to WeChat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import structlog

from citizen_api.errors import ApiError
from citizen_api.metrics import EXTERNAL_CALL_ERRORS

log = structlog.get_logger("onetrip.wechat")

# jscode2session errcodes that mean "this code is no good": invalid, used, or a risky user
_BAD_CODE_ERRCODES = {40029, 40163, 40226, 40013}


class WeChatUnavailable(Exception):
    """WeChat (or the simulator) did not answer, or answered garbage."""


class WeChatApiError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True)
class Session:
    openid: str
    unionid: str | None
    session_key: str


class WeChatGateway:
    def __init__(self, http: aiohttp.ClientSession, settings) -> None:
        self.http = http
        self.settings = settings
        self.base = settings.wechat_api_base.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=settings.wechat_timeout_seconds)

    async def call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> dict[str, Any]:
        """One WeChat API call; returns the JSON object, raises WeChatApiError for errcode != 0."""
        url = self.base + path
        try:
            async with self.http.request(
                method,
                url,
                params=params,
                data=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                headers={"Content-Type": "application/json"} if body is not None else None,
                timeout=self.timeout,
            ) as resp:
                text = await resp.text()
                if resp.status >= 500:
                    raise WeChatUnavailable(f"HTTP {resp.status} from {path}")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            EXTERNAL_CALL_ERRORS.labels(service="wechat", kind="unreachable").inc()
            raise WeChatUnavailable(f"{type(exc).__name__} calling {path}") from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise WeChatUnavailable(f"non-JSON answer from {path}") from exc
        if not isinstance(data, dict):
            raise WeChatUnavailable(f"unexpected answer from {path}")
        errcode = data.get("errcode", 0) or 0
        if errcode != 0:
            EXTERNAL_CALL_ERRORS.labels(service="wechat", kind=str(errcode)).inc()
            raise WeChatApiError(int(errcode), str(data.get("errmsg", "")))
        return data

    async def code_to_session(self, code: str) -> Session:
        """``/sns/jscode2session``: a mini-program login code → openid (and unionid when bound)."""
        params = {
            "appid": self.settings.mp_appid,
            "secret": self.settings.mp_secret,
            "js_code": code,
            "grant_type": "authorization_code",
        }
        try:
            data = await self.call("GET", "/sns/jscode2session", params=params)
        except WeChatApiError as exc:
            if exc.errcode in _BAD_CODE_ERRCODES:
                raise ApiError(
                    401, "WECHAT_CODE_INVALID", "微信登录凭证无效或已过期，请重新进入小程序"
                ) from None
            if exc.errcode == 45011:
                raise ApiError(429, "RATE_LIMITED", "登录过于频繁，请稍后再试") from None
            log.warning("jscode2session failed", errcode=exc.errcode)
            raise ApiError(503, "WECHAT_UNAVAILABLE", "微信服务暂不可用，请稍后再试") from None
        except WeChatUnavailable as exc:
            log.warning("jscode2session unreachable", error=str(exc))
            raise ApiError(503, "WECHAT_UNAVAILABLE", "微信服务暂不可用，请稍后再试") from None
        openid = data.get("openid")
        if not isinstance(openid, str) or not openid:
            raise ApiError(503, "WECHAT_UNAVAILABLE", "微信服务暂不可用，请稍后再试")
        unionid = data.get("unionid")
        return Session(
            openid=openid,
            unionid=unionid if isinstance(unionid, str) else None,
            session_key=str(data.get("session_key", "")),
        )
