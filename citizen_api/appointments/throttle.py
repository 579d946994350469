"""Anti-bot throttle on booking attempts: N per citizen per minute, else 429 RATE_LIMITED.

The shared limiter counts in Redis when configured (every worker together), else per process.
"""

from __future__ import annotations

from citizen_api import ratelimit

WINDOW_SECONDS = 60


async def booking_attempt(state, user_id: int) -> None:
    await ratelimit.hit(
        state, f"appt:book:{user_id}", state.settings.booking_attempts_per_minute, WINDOW_SECONDS
    )
