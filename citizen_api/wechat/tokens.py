"""One access_token per WeChat app, shared by every API and worker process.

``/cgi-bin/stable_token`` hands every caller the same token until it expires, so processes
asking at once never invalidate each other (``/cgi-bin/token`` would). With Redis the token is
cached under one key and fetched by whoever holds a short ``SET NX`` lock while the others wait
and re-read; without Redis one fetch per process at a time (single-flight behind an asyncio lock).

A forced refresh (after 40001/42001) first checks whether someone else already replaced the
stale token, so a burst of failing sends leads to one refresh, not one per message.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass

import structlog
from redis.exceptions import RedisError

from citizen_api.wechat.gateway import WeChatGateway, WeChatUnavailable

log = structlog.get_logger("onetrip.wechat.tokens")

LOCK_SECONDS = 10.0  # longest a fetch may hold the Redis lock
WAIT_SECONDS = 8.0  # how long others wait for it before fetching themselves
LOCAL_CACHE_SECONDS = 60.0  # re-read Redis at least this often (another process may refresh)

# delete the lock only if we still own it
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


@dataclass
class _Cached:
    token: str
    fresh_until: float  # monotonic


class AccessTokens:
    def __init__(self, gateway: WeChatGateway, appid: str, secret: str, redis=None) -> None:
        self.gateway = gateway
        self.appid = appid
        self.secret = secret
        self.redis = redis
        self.key = f"onetrip:wechat:token:{appid}"
        self._lock = asyncio.Lock()
        self._cached: _Cached | None = None

    async def get(self) -> str:
        cached = self._cached
        if cached is not None and cached.fresh_until > time.monotonic():
            return cached.token
        async with self._lock:
            cached = self._cached
            if cached is not None and cached.fresh_until > time.monotonic():
                return cached.token
            return await self._obtain(stale=None)

    async def refreshed(self, stale: str) -> str:
        """A token other than ``stale`` (which WeChat just refused), refreshing it only once."""
        async with self._lock:
            cached = self._cached
            if cached is not None and cached.token != stale and cached.fresh_until > time.monotonic():
                return cached.token
            self._cached = None
            return await self._obtain(stale=stale)

    # -- internals -------------------------------------------------------------------------------
    async def _obtain(self, stale: str | None) -> str:
        if self.redis is not None:
            try:
                return await self._obtain_shared(stale)
            except (RedisError, OSError) as exc:
                # Redis down: keep sending with a per-process token (stable_token keeps it valid)
                log.warning("redis unavailable for the token cache", error=type(exc).__name__)
        token, expires_in = await self._fetch(force=stale is not None)
        self._remember(token, expires_in)
        return token

    async def _obtain_shared(self, stale: str | None) -> str:
        redis = self.redis
        current = await self._read_shared()
        if current is not None and current[0] != stale:
            self._remember(*current)
            return current[0]
        lock_key = self.key + ":lock"
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if await redis.set(lock_key, owner, nx=True, px=int(LOCK_SECONDS * 1000)):
                try:
                    # someone may have refreshed between our read and the lock
                    current = await self._read_shared()
                    if current is not None and current[0] != stale:
                        self._remember(*current)
                        return current[0]
                    token, expires_in = await self._fetch(force=stale is not None)
                    ttl = max(30, expires_in - 300)  # hand out tokens with at least 5 minutes left
                    await redis.set(self.key, token, ex=ttl)
                    self._remember(token, ttl)
                    return token
                finally:
                    await redis.eval(_RELEASE, 1, lock_key, owner)
            await asyncio.sleep(0.05)
            current = await self._read_shared()
            if current is not None and current[0] != stale:
                self._remember(*current)
                return current[0]
            if time.monotonic() > deadline:
                # the lock holder died or WeChat is slow: fetch ourselves (stable_token is safe)
                token, expires_in = await self._fetch(force=False)
                self._remember(token, expires_in)
                return token

    async def _read_shared(self) -> tuple[str, int] | None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(self.key)
            pipe.ttl(self.key)
            value, ttl = await pipe.execute()
        if not value:
            return None
        token = value.decode() if isinstance(value, bytes) else str(value)
        return token, int(ttl) if ttl and ttl > 0 else 60

    def _remember(self, token: str, expires_in: int) -> None:
        ttl = min(LOCAL_CACHE_SECONDS, max(1.0, expires_in - 60))
        self._cached = _Cached(token=token, fresh_until=time.monotonic() + ttl)

    async def _fetch(self, force: bool) -> tuple[str, int]:
        body = {
            "grant_type": "client_credential",
            "appid": self.appid,
            "secret": self.secret,
            "force_refresh": force,
        }
        data = await self.gateway.call("POST", "/cgi-bin/stable_token", body=body)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise WeChatUnavailable("stable_token answered without access_token")
        try:
            expires_in = int(data.get("expires_in", 7200))
        except (TypeError, ValueError):
            expires_in = 7200
        log.info("access token fetched", appid=self.appid, forced=force)
        return token, expires_in
