"""Anti-bot throttle on booking attempts: N per citizen and M per client address per minute, else
429 RATE_LIMITED with ``Retry-After``.

The shared limiter counts in Redis when configured (every worker together), else per process. The
address is the proxy-aware client (``ctx.client_ip``: X-Forwarded-For only from trusted proxies),
so one machine cycling through many accounts is slowed as well as one account retrying.
"""

from __future__ import annotations

from citizen_api import ratelimit

WINDOW_SECONDS = 60


async def booking_attempt(state, user_id: int, client_ip: str) -> None:
    settings = state.settings
    await ratelimit.hit(state, f"appt:book:{user_id}", settings.booking_attempts_per_minute, WINDOW_SECONDS)
    await ratelimit.hit(
        state, f"appt:book:ip:{client_ip}", settings.booking_attempts_per_minute_per_address, WINDOW_SECONDS
    )
