"""kuaidi100 (快递100): tracking subscription, realtime query and the signed push.

- subscribe: ``POST {base}/poll`` form ``schema=json&param={company, number, key, parameters:
  {callbackurl, salt, resultv2}}`` → ``{"result": true, "returnCode": "200", "message": "提交成功"}``
  (501 = already subscribed, which is fine);
- realtime query: ``POST {base}/poll/query.do`` form ``customer, sign, param`` with
  ``sign = upper(MD5(param + key + customer))``;
- push to our callback: form ``param`` (JSON) and ``sign = upper(MD5(param + salt))``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import structlog

log = structlog.get_logger("onetrip.kuaidi100")

CALLBACK_PATH = "/api/v1/callbacks/kuaidi100"
SUBSCRIBED_CODES = ("200", "501")  # 501: 重复订阅, the subscription stands


class Kuaidi100Error(Exception):
    """kuaidi100 could not be reached or refused the request (message says why)."""


def push_sign(param: str, salt: str) -> str:
    return hashlib.md5((param + salt).encode()).hexdigest().upper()


def verify_push(param: str, sign: str, salt: str) -> bool:
    # bytes: compare_digest raises TypeError on non-ASCII str, and a forged sign may be anything
    given = sign.strip().upper().encode("utf-8", "replace")
    return hmac.compare_digest(push_sign(param, salt).encode(), given)


def query_sign(param: str, key: str, customer: str) -> str:
    return hashlib.md5((param + key + customer).encode()).hexdigest().upper()


@dataclass(frozen=True)
class SubscribeResult:
    ok: bool
    code: str
    message: str


class Kuaidi100Client:
    def __init__(self, http: aiohttp.ClientSession, settings) -> None:
        self.http = http
        self.settings = settings

    @property
    def callback_url(self) -> str:
        return self.settings.public_base_url.rstrip("/") + CALLBACK_PATH

    async def subscribe(self, company: str, number: str, phone: str | None = None) -> SubscribeResult:
        parameters: dict[str, Any] = {
            "callbackurl": self.callback_url,
            "salt": self.settings.kuaidi100_salt,
            "resultv2": "1",
        }
        if phone:
            parameters["phone"] = phone  # SF and some others need the recipient's phone to track
        param = {"company": company, "number": number, "key": self.settings.kuaidi100_key}
        param["parameters"] = parameters
        data = await self._post("/poll", {"schema": "json", "param": json.dumps(param, ensure_ascii=False)})
        code = str(data.get("returnCode", ""))
        return SubscribeResult(code in SUBSCRIBED_CODES, code, str(data.get("message", ""))[:200])

    async def query(self, company: str, number: str) -> dict[str, Any]:
        """The current tracking record (``state``, ``data`` …), as a push's ``lastResult`` would be."""
        param = json.dumps({"com": company, "num": number, "resultv2": "1"}, ensure_ascii=False)
        customer = self.settings.kuaidi100_customer
        form = {
            "customer": customer,
            "param": param,
            "sign": query_sign(param, self.settings.kuaidi100_key, customer),
        }
        data = await self._post("/poll/query.do", form)
        if str(data.get("status", "")) != "200":
            raise Kuaidi100Error(str(data.get("message") or data.get("returnCode") or "query failed")[:200])
        return data

    async def _post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        url = self.settings.kuaidi100_api_base.rstrip("/") + path
        timeout = aiohttp.ClientTimeout(total=self.settings.kuaidi100_timeout_seconds)
        try:
            async with self.http.post(url, data=form, timeout=timeout) as resp:
                if resp.status != 200:
                    raise Kuaidi100Error(f"HTTP {resp.status}")
                data = json.loads(await resp.read())
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            log.warning("kuaidi100 call failed", path=path, error=type(exc).__name__)
            raise Kuaidi100Error(type(exc).__name__) from None
        if not isinstance(data, dict):
            raise Kuaidi100Error("unexpected answer")
        return data
