"""A small fixed-window rate limiter for throttled endpoints (progress query, bookings …).

    from citizen_api.ratelimit import limiter
    await limiter.hit(ctx.state, f"progress:ip:{ctx.client_ip}", limit=30, window_seconds=60)

``hit`` counts one attempt against ``key`` and raises ``ApiError(429, "RATE_LIMITED")`` with a
``Retry-After`` header once more than ``limit`` attempts fell in the current window. With Redis
(``state.redis``) the count is shared by every worker process (``INCR`` + ``EXPIRE``); without it
the count lives in the process. If Redis fails, the limiter lets the request through (fail open):
throttling must never take the service down with it.

Windows follow ``citizen_api.clock``, so tests move time instead of sleeping.

Login throttling needs two more things (see ``citizen_api.auth.throttle``): ``count`` — a counter
whose window starts at its first attempt (no burst across a fixed window boundary) and that can be
refunded or cleared — and ``lock``/``locked_until`` — a key refused until a given instant. Both
share the same backends (Redis when configured, else the process) and fail open the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from citizen_api import clock
from citizen_api.errors import ApiError

log = structlog.get_logger("onetrip.ratelimit")

_MEMORY_KEY = "ratelimit.memory"
_COUNTERS_KEY = "ratelimit.counters"
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


@dataclass(frozen=True, slots=True)
class Count:
    """A counter's value after an update, and when its window ends (a Unix time)."""

    value: int
    resets_at: float

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.resets_at - now))


class _MemoryCounters:
    """Per-process anchored counters (key → (count, resets_at)) and locks (key → until)."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, float]] = {}
        self.locks: dict[str, float] = {}

    def add(self, key: str, amount: int, window_seconds: float, now: float) -> Count:
        count, resets_at = self.counts.get(key, (0, 0.0))
        if resets_at <= now:
            if amount <= 0:
                self.counts.pop(key, None)
                return Count(0, now)
            count, resets_at = 0, now + window_seconds
        count = max(0, count + amount)
        self._bound(self.counts, lambda v: v[1] > now)
        self.counts[key] = (count, resets_at)
        return Count(count, resets_at)

    def lock(self, key: str, until: float, now: float) -> None:
        self._bound(self.locks, lambda v: v > now)
        self.locks[key] = until

    @staticmethod
    def _bound(table: dict, alive) -> None:
        if len(table) >= _MAX_MEMORY_KEYS:
            live = {k: v for k, v in table.items() if alive(v)}
            table.clear()
            if len(live) < _MAX_MEMORY_KEYS:
                table.update(live)


# KEYS[1] the counter; ARGV: now, window seconds, amount. A hash {n, exp}: the window is anchored at
# the first attempt, compared with the service clock (tests move it); the Redis TTL only cleans up.
_COUNT_LUA = """
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[3])
local exp = tonumber(redis.call('HGET', KEYS[1], 'exp') or '0')
local n
if exp <= now then
  if amount <= 0 then
    redis.call('DEL', KEYS[1])
    return {0, ARGV[1]}
  end
  exp = now + tonumber(ARGV[2])
  n = amount
  redis.call('HSET', KEYS[1], 'n', n, 'exp', tostring(exp))
else
  n = redis.call('HINCRBY', KEYS[1], 'n', amount)
  if n < 0 then
    n = 0
    redis.call('HSET', KEYS[1], 'n', 0)
  end
end
redis.call('EXPIRE', KEYS[1], math.ceil(exp - now) + 1)
return {n, tostring(exp)}
"""


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

    # -- anchored counters and locks (login throttling) --

    async def count(self, state, key: str, window_seconds: float, amount: int = 1) -> Count | None:
        """Add ``amount`` (negative to refund) to a counter whose window starts at its first attempt.

        Returns the new value, or None when Redis is configured but failing (fail open)."""
        now = clock.now().timestamp()
        redis = getattr(state, "redis", None)
        if redis is None:
            return self._counters(state).add(key, amount, window_seconds, now)
        try:
            script = redis.register_script(_COUNT_LUA)
            value, resets_at = await script(keys=[f"onetrip:ct:{key}"], args=[now, window_seconds, amount])
            return Count(int(value), float(resets_at))
        except Exception as exc:
            log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)
            return None

    async def clear(self, state, key: str) -> None:
        """Forget a counter (a successful login clears the failures before it)."""
        redis = getattr(state, "redis", None)
        if redis is None:
            self._counters(state).counts.pop(key, None)
            return
        try:
            await redis.delete(f"onetrip:ct:{key}")
        except Exception as exc:
            log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)

    async def lock(self, state, key: str, until: datetime) -> None:
        """Refuse ``key`` until ``until`` (see :meth:`locked_until`)."""
        now = clock.now().timestamp()
        stamp = until.timestamp()
        redis = getattr(state, "redis", None)
        if redis is None:
            self._counters(state).lock(key, stamp, now)
            return
        try:
            await redis.set(f"onetrip:lock:{key}", repr(stamp), ex=max(1, math.ceil(stamp - now)) + 1)
        except Exception as exc:
            log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)

    async def locked_until(self, state, key: str) -> datetime | None:
        """When the lock on ``key`` ends, or None if it is not locked (or Redis is failing)."""
        now = clock.now().timestamp()
        redis = getattr(state, "redis", None)
        if redis is None:
            stamp = self._counters(state).locks.get(key)
        else:
            try:
                raw = await redis.get(f"onetrip:lock:{key}")
            except Exception as exc:
                log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)
                return None
            stamp = float(raw) if raw else None
        if stamp is None or stamp <= now:
            return None
        return datetime.fromtimestamp(stamp, UTC)

    async def unlock(self, state, key: str) -> None:
        redis = getattr(state, "redis", None)
        if redis is None:
            self._counters(state).locks.pop(key, None)
            return
        try:
            await redis.delete(f"onetrip:lock:{key}")
        except Exception as exc:
            log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)

    @staticmethod
    def _counters(state) -> _MemoryCounters:
        extras = getattr(state, "extras", None)
        if extras is None:
            return _FALLBACK_COUNTERS
        return extras.setdefault(_COUNTERS_KEY, _MemoryCounters())


_FALLBACK = _MemoryWindows()
_FALLBACK_COUNTERS = _MemoryCounters()
limiter = RateLimiter()


async def hit(state, key: str, limit: int, window_seconds: int) -> int:
    return await limiter.hit(state, key, limit, window_seconds)
