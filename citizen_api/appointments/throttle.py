"""Anti-bot throttle on booking attempts: N per citizen and M per client address per minute, else
429 RATE_LIMITED with ``Retry-After``.

Counted like ``citizen_api.ratelimit`` (fixed windows on the service clock, the same keys, fail
open): with Redis both counters go in one script call (every worker together), else in
the process. The address is the proxy-aware client (``ctx.client_ip``: X-Forwarded-For only from
trusted proxies), so one machine cycling through many accounts is slowed as well as one account.
"""

from __future__ import annotations

import math

import structlog

from citizen_api import clock, ratelimit
from citizen_api.errors import ApiError

log = structlog.get_logger("onetrip.ratelimit")
WINDOW_SECONDS = 60
# both counters in one command (a pipeline of four commands was an eighth of an API process's time in
# a release rush, py-spy on bench/booking.py): the same keys and windows as ``ratelimit``
_COUNT_BOTH = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[1])
end
return counts
"""


def _limits(settings, user_id: int, client_ip: str) -> list[tuple[str, int]]:
    return [
        (f"appt:book:{user_id}", settings.booking_attempts_per_minute),
        (f"appt:book:ip:{client_ip}", settings.booking_attempts_per_minute_per_address),
    ]


async def booking_attempt(state, user_id: int, client_ip: str) -> None:
    limits = _limits(state.settings, user_id, client_ip)
    redis = state.redis
    if redis is None:
        refusals = []
        for key, limit in limits:  # both counted, as in Redis
            try:
                await ratelimit.hit(state, key, limit, WINDOW_SECONDS)
            except ApiError as refusal:
                refusals.append(refusal)
        if refusals:
            raise refusals[0]
        return
    now = clock.now().timestamp()
    window = int(now // WINDOW_SECONDS)
    try:
        counts = await redis.register_script(_COUNT_BOTH)(
            keys=[f"onetrip:rl:{key}:{window}" for key, _limit in limits], args=[WINDOW_SECONDS + 1]
        )
    except Exception as exc:  # any Redis failure: let the attempt through
        log.warning("rate limiter unavailable, failing open", error=type(exc).__name__)
        return
    if any(int(count) > limit for (_key, limit), count in zip(limits, counts, strict=True)):
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        raise ApiError(
            429,
            "RATE_LIMITED",
            "操作过于频繁，请稍后再试",
            {"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
