"""Short-lived bot records: signed (timestamp, nonce) pairs with the digest of their body, and the
answer given to each pushed message so that WeChat's retries (same MsgId, or FromUserName+CreateTime
for events) get it again without the work being redone. Redis when configured (shared by every
process), else database tables.

WeChat retries a push it got no answer to with the very same query string and body: such a
repeat passes :meth:`BotStore.check_nonce` and is answered from the reply record. The same pair
with another body is a replay (a captured plaintext-mode signature reused) and is refused.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from datetime import timedelta

import structlog
from redis.exceptions import RedisError

from bots import repository as repo
from citizen_api import clock
from citizen_api.jobs import JobContext

log = structlog.get_logger("onetrip.bot")

PREFIX = "onetrip:bot:"
# Redis reply values: b"" while the first request is working, b"=" + reply once answered (the
# reply itself may be empty: "success")
_DONE = b"="


def _reply_of(value: bytes | None) -> str | None:
    return value[1:].decode() if value and value.startswith(_DONE) else None


class BotStore:
    def __init__(self, redis, settings) -> None:
        self.redis = redis
        # a nonce must be remembered for as long as its timestamp is accepted (both directions)
        self.nonce_ttl = 2 * settings.bot_timestamp_window_seconds + 60
        # an answer outlives the nonce of the request that produced it: a repeat of a signed
        # request that is still accepted always finds the answer and never redoes the work
        self.reply_ttl = max(30, settings.bot_reply_cache_seconds, self.nonce_ttl)

    # -- nonces ---------------------------------------------------------------------------------
    async def check_nonce(self, timestamp: str, nonce: str, digest: str) -> bool:
        """True for the first use of (timestamp, nonce) and for a repeat of it with the same body
        ``digest`` (WeChat's retry); False when the pair came with another body (a replay)."""
        key = f"{timestamp}:{nonce}"
        if self.redis is not None:
            try:
                redis_key = PREFIX + "nonce:" + key
                for _ in range(2):  # the record may expire between SET NX and GET
                    if await self.redis.set(redis_key, digest.encode(), nx=True, ex=self.nonce_ttl):
                        return True
                    seen = await self.redis.get(redis_key)
                    if seen is not None:
                        return hmac.compare_digest(seen, digest.encode())
                return False
            except (RedisError, OSError) as exc:
                log.warning("redis unavailable for bot nonces", error=type(exc).__name__)
        return await repo.remember_nonce(key, digest, clock.now(), self.nonce_ttl)

    # -- replies --------------------------------------------------------------------------------
    async def claim(self, key: str) -> tuple[bool, str | None]:
        """(True, None) when this request must do the work; (False, reply-or-None) for a repeat,
        where None means the first request is still working."""
        if self.redis is not None:
            try:
                redis_key = PREFIX + "reply:" + key
                if await self.redis.set(redis_key, b"", nx=True, ex=self.reply_ttl):
                    return True, None
                return False, _reply_of(await self.redis.get(redis_key))
            except (RedisError, OSError) as exc:
                log.warning("redis unavailable for bot replies", error=type(exc).__name__)
        now = clock.now()
        if await repo.claim_reply(key, now, now + timedelta(seconds=self.reply_ttl)):
            return True, None
        return False, await repo.reply_of(key)

    async def finish(self, key: str, reply: str) -> None:
        if self.redis is not None:
            try:
                await self.redis.set(PREFIX + "reply:" + key, _DONE + reply.encode(), ex=self.reply_ttl)
                return
            except (RedisError, OSError) as exc:
                log.warning("redis unavailable for bot replies", error=type(exc).__name__)
        await repo.finish_reply(key, reply)

    async def release(self, key: str) -> None:
        """Forget an unanswered claim (the work failed), so that WeChat's retry does it again
        instead of waiting for an answer that will never come."""
        if self.redis is not None:
            try:
                await self.redis.delete(PREFIX + "reply:" + key)
                return
            except (RedisError, OSError) as exc:
                log.warning("redis unavailable for bot replies", error=type(exc).__name__)
        await repo.release_reply(key)

    async def wait_for(self, key: str, budget: float) -> str | None:
        """The first request's answer, waiting at most ``budget`` seconds for it."""
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            reply = await self.peek(key)
            if reply is not None:
                return reply
        return None

    async def peek(self, key: str) -> str | None:
        if self.redis is not None:
            try:
                return _reply_of(await self.redis.get(PREFIX + "reply:" + key))
            except (RedisError, OSError):
                pass
        return await repo.reply_of(key)


async def purge_expired(ctx: JobContext) -> int:
    """Periodic job: drop expired nonces and replies (database mode)."""
    return await repo.purge_expired(ctx.now)
