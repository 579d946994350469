"""Sending messages through WeChat: subscribe (mini-program), template and customer-service
(official account), and the follower lookup. Every call carries the app's shared access_token;
a 40001/42001 answer refreshes it once and retries once.
"""

from __future__ import annotations

import time
from typing import Any

import structlog

from citizen_api.wechat.gateway import WeChatApiError, WeChatGateway
from citizen_api.wechat.tokens import AccessTokens

log = structlog.get_logger("onetrip.wechat.messages")

TOKEN_ERRCODES = frozenset({40001, 42001, 40014})  # invalid, expired, malformed access_token
# call-rate and quota errors: wait, don't hammer. -1 = system busy, 45009 = API daily/minute
# quota, 45047 = too many customer-service messages, 45011 = too frequent
RATE_LIMIT_ERRCODES = frozenset({-1, 45009, 45047, 45011})
COOLDOWN_SECONDS = {-1: 2.0, 45009: 60.0, 45047: 30.0, 45011: 10.0}


class WeChatRateLimited(Exception):
    def __init__(self, errcode: int, retry_after: float) -> None:
        super().__init__(f"{errcode} rate limited, retry after {retry_after:.0f}s")
        self.errcode = errcode
        self.retry_after = retry_after


class WeChatMessenger:
    def __init__(self, gateway: WeChatGateway, settings, redis=None) -> None:
        self.gateway = gateway
        self.settings = settings
        self.mp_tokens = AccessTokens(gateway, settings.mp_appid, settings.mp_secret, redis)
        self.oa_tokens = AccessTokens(gateway, settings.oa_appid, settings.oa_secret, redis)
        # per API path: after a rate-limit answer, calls wait here instead of hitting WeChat again
        self._cooldown_until: dict[str, float] = {}

    async def send_subscribe(
        self, openid: str, template_id: str, data: dict[str, Any], page: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": data,
            "miniprogram_state": self.settings.notify_miniprogram_state,
            "lang": "zh_CN",
        }
        if page:
            body["page"] = page
        return await self._authed(self.mp_tokens, "/cgi-bin/message/subscribe/send", body)

    async def send_template(
        self,
        openid: str,
        template_id: str,
        data: dict[str, Any],
        page: str | None,
        client_msg_id: str,
    ) -> dict[str, Any]:
        # client_msg_id: WeChat sends one message per openid + client_msg_id within 10 minutes,
        # which turns a resend after a crash between "sent" and "marked" into a no-op
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": template_id,
            "data": data,
            "client_msg_id": client_msg_id,
        }
        if page:
            body["miniprogram"] = {"appid": self.settings.mp_appid, "pagepath": page}
        return await self._authed(self.oa_tokens, "/cgi-bin/message/template/send", body)

    async def send_custom_text(self, openid: str, text: str) -> dict[str, Any]:
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        return await self._authed(self.oa_tokens, "/cgi-bin/message/custom/send", body)

    async def oa_user_info(self, openid: str) -> dict[str, Any]:
        """``/cgi-bin/user/info``: a follower's unionid (when the account is bound to the open platform)."""
        params = {"openid": openid, "lang": "zh_CN"}
        return await self._authed(self.oa_tokens, "/cgi-bin/user/info", None, method="GET", params=params)

    async def _authed(
        self,
        tokens: AccessTokens,
        path: str,
        body: Any,
        *,
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        waiting = self._cooldown_until.get(path, 0.0) - time.monotonic()
        if waiting > 0:
            raise WeChatRateLimited(0, waiting)
        token = await tokens.get()
        try:
            return await self._call(path, token, body, method, params)
        except WeChatApiError as exc:
            if exc.errcode not in TOKEN_ERRCODES:
                raise
            log.info("access token refused, refreshing", path=path, errcode=exc.errcode)
        token = await tokens.refreshed(token)
        return await self._call(path, token, body, method, params)

    async def _call(
        self, path: str, token: str, body: Any, method: str, params: dict[str, str] | None
    ) -> dict[str, Any]:
        query = {"access_token": token, **(params or {})}
        try:
            return await self.gateway.call(method, path, params=query, body=body)
        except WeChatApiError as exc:
            if exc.errcode in RATE_LIMIT_ERRCODES:
                pause = COOLDOWN_SECONDS.get(exc.errcode, 5.0)
                if exc.errcode != 45047:  # 45047 is one user's quota, not the whole API's
                    self._cooldown_until[path] = time.monotonic() + pause
                raise WeChatRateLimited(exc.errcode, pause) from exc
            raise


def messenger_for(state) -> WeChatMessenger:
    """The process's messenger (one token cache per process), made on first use."""
    messenger = state.extras.get("wechat_messenger")
    if messenger is None:
        messenger = WeChatMessenger(state.wechat, state.settings, state.redis)
        state.extras["wechat_messenger"] = messenger
    return messenger
