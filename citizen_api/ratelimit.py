"""A small fixed-window rate limiter for throttled endpoints (progress query, bookings …).

    from citizen_api.ratelimit import limiter
    await limiter.hit(ctx.state, f"progress:ip:{ctx.client_ip}", limit=30, window_seconds=60)

``hit`` counts one attempt against ``key`` and raises ``ApiError(429, "RATE_LIMITED")`` with a
``Retry-After`` header once more than ``limit`` attempts fell in the current window. With Redis
(``state.redis``) the count is shared by every worker process (``INCR`` + ``EXPIRE``); without it
the count lives in the process. If Redis fails, the limiter lets the request through (fail open):
throttling must never take the service down with it.

Windows follow ``citizen_api.clock``, so tests move time instead of sleeping.
"""

from __future__ import annotations

import math

import structlog

from citizen_api import clock
from citizen_api.errors import ApiError

log = structlog.get_logger("onetrip.ratelimit")

_MEMORY_KEY = "ratelimit.memory"
_MAX_MEMORY_KEYS = 50_000


class _MemoryWindows:
    """Per-process counters: key → (window number, count)."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}

    def incr(self, key: str, window: int) -> int:
        current_window, count = self.counts.get(key, (window, 0))
        count = count + 1 if current_window == window else 1
        if len(self.counts) >= _MAX_MEMORY_KEYS and key not in self.counts:
            # forget finished windows; a flood of distinct keys cannot grow memory without bound
            self.counts = {k: v for k, v in self.counts.items() if v[0] == window}
            if len(self.counts) >= _MAX_MEMORY_KEYS:
                self.counts.clear()
        self.counts[key] = (window, count)
        return count


class RateLimiter:
    async def hit(self, state, key: str, limit: int, window_seconds: int) -> int:
        """Count an attempt; returns the attempts so far in this window, or raises 429."""
        now = clock.now().timestamp()
        window = int(now // window_seconds)
        retry_after = max(1, math.ceil((window + 1) * window_seconds - now))
        count = await self._count(state, key, window, window_seconds)
        if count is not None and count > limit:
            raise ApiError(
                429,
                "RATE_LIMITED",
                "操作过于频繁，请稍后再试",
                {"retry_after": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
        return count or 0

    async def _count(self, state, key: str, window: int, window_seconds: int) -> int | None:
        redis = getattr(state, "redis", None)
        if redis is None:
            return self._memory(state).incr(key, window)
        name = f"onetrip:rl:{key}:{window}"
        try:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_seconds + 1)
                count, _ = await pipe.execute()
            return int(count)
        except Exception as exc:  # any Redis failure: let the request through
            log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)
            return None

    @staticmethod
    def _memory(state) -> _MemoryWindows:
        extras = getattr(state, "extras", None)
        if extras is None:
            return _FALLBACK
        return extras.setdefault(_MEMORY_KEY, _MemoryWindows())


_FALLBACK = _MemoryWindows()
limiter = RateLimiter()


async def hit(state, key: str, limit: int, window_seconds: int) -> int:
    return await limiter.hit(state, key, limit, window_seconds)
