"""The locker vendor's HTTP API, with the process's aiohttp session (never a blocking client).

- ``POST {base}/api/lockers/{vendor_id}/deposits {reference}`` → 201 ``{compartment}``: a free door
  opens for the clerk to put the result in; 409 when every compartment is taken;
- ``POST {base}/api/lockers/{vendor_id}/compartments/{compartment}/release``: staff emptied it.

The other direction (a citizen types the code at the locker) is the locker's signed call to
``POST /api/v1/callbacks/locker`` (``signature``), answered by ``service.pick_up``.
"""

from __future__ import annotations

import hashlib
import hmac

import aiohttp

from citizen_api.errors import ApiError

SIGNATURE_HEADER = "X-Locker-Signature"


def unavailable() -> ApiError:
    return ApiError(503, "LOCKER_UNAVAILABLE", "自助取件柜暂时无法连接，请稍后再试或改为窗口领取")


def signature(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the raw body, hex: what the locker sends in ``X-Locker-Signature``."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, given: str, secret: str) -> bool:
    return hmac.compare_digest(signature(body, secret), given or "")


async def _post(state, path: str, payload: dict) -> tuple[int, dict]:
    settings = state.settings
    url = settings.locker_api_base.rstrip("/") + path
    timeout = aiohttp.ClientTimeout(total=settings.locker_timeout_seconds)
    try:
        async with state.http.post(url, json=payload, timeout=timeout) as resp:
            answer = await resp.json(content_type=None)
            return resp.status, answer if isinstance(answer, dict) else {}
    except (aiohttp.ClientError, TimeoutError, ValueError):
        raise unavailable() from None


async def open_for_deposit(state, vendor_id: str, reference: str) -> str:
    """A free compartment's number, its door open for the clerk (409 LOCKER_FULL when none is free)."""
    status, answer = await _post(state, f"/api/lockers/{vendor_id}/deposits", {"reference": reference})
    if status == 409:
        raise ApiError(409, "LOCKER_FULL", "该自助柜已无空闲格口，请选择其他柜或窗口领取")
    compartment = str(answer.get("compartment") or "")
    if status != 201 or not compartment:
        raise unavailable()
    return compartment


async def release(state, vendor_id: str, compartment: str) -> None:
    status, _ = await _post(state, f"/api/lockers/{vendor_id}/compartments/{compartment}/release", {})
    if status >= 500:
        raise unavailable()
