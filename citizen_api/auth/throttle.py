"""Staff login throttling: per client address, per username, and account lockout.

Every attempt is counted BEFORE its password is hashed, so a refused attempt costs no argon2 and
40 attempts racing in together cannot get more checks than the limits allow:

- per client (``login_client_limit`` per ``login_client_window_seconds``; IPv6 per /64): the
  attempt is counted first and refunded when it succeeds, so a hall full of clerks behind one
  address only spends the budget with their mistakes;
- per username (``login_lock_attempts`` failures within ``login_failure_window_minutes``): the
  last allowed failure locks the username for ``login_lock_minutes``; while locked every attempt,
  the right password included, is 429 ``RATE_LIMITED`` saying until when. A successful login
  clears the failures; an admin's password reset or unlock, or the time, lifts the lock.

Usernames that do not exist are counted and locked exactly like real ones, so neither the answers
nor their timing tell which usernames exist. Counters live in Redis when configured (every API
process shares them) and in the process otherwise (``citizen_api.ratelimit``).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.ratelimit import limiter
from citizen_api.security.passwords import CLEAN, KNOWN_DESK, SUSPECT

# a username's successful logins are remembered per client address this long (its usual desk):
# under a flood, its checks are queued first
DESK_MEMORY_SECONDS = 30 * 24 * 3600


def username_key(username: str) -> str:
    # hashed: no usernames in Redis keys; case-folded: "Wang" and "wang" share one budget
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def client_key(address: str) -> str:
    """A client address as counted: IPv4 as is, IPv6 by its /64 (one subscriber's whole prefix)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _fail_key(username: str) -> str:
    return f"login:fail:{username_key(username)}"


def _lock_key(username: str) -> str:
    return f"login:lock:{username_key(username)}"


def _client_counter(address: str) -> str:
    return f"login:client:{client_key(address)}"


def _desk_key(username: str, address: str) -> str:
    return f"login:desk:{username_key(username)}:{client_key(address)}"


def locked_error(until: datetime) -> ApiError:
    now = clock.now()
    local = clock.to_local(until)
    shown = f"{local:%H:%M}" if local.date() == clock.today() else f"{local:%Y-%m-%d %H:%M}"
    retry_after = max(1, int((until - now).total_seconds() + 0.999))
    return ApiError(
        429,
        "RATE_LIMITED",
        f"连续登录失败次数过多，账号已锁定至 {shown}，请届时再试或联系管理员解锁",
        {
            "reason": "account_locked",
            "locked_until": local.isoformat(timespec="seconds"),
            "retry_after": retry_after,
        },
        headers={"Retry-After": str(retry_after)},
    )


def _client_error(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "RATE_LIMITED",
        "登录尝试过于频繁，请稍后再试",
        {"reason": "client_throttled", "retry_after": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


@dataclass
class Attempt:
    """One admitted attempt: report its outcome with :meth:`failed` or :meth:`succeeded`."""

    state: object
    username: str
    client: str | None
    priority: int = CLEAN  # for the argon2 queue (security.passwords)

    async def failed(self) -> int:
        """Count the failure; locks the username on the last allowed one. Returns attempts left."""
        settings = self.state.settings
        window = settings.login_failure_window_minutes * 60
        count = await limiter.count(self.state, _fail_key(self.username), window, amount=0)
        value = count.value if count else 0
        left = max(0, settings.login_lock_attempts - value)
        if count is not None and left == 0:
            await lock(self.state, self.username)
        return left

    async def succeeded(self) -> None:
        await limiter.clear(self.state, _fail_key(self.username))
        if self.client is not None:
            window = self.state.settings.login_client_window_seconds
            await limiter.count(self.state, _client_counter(self.client), window, amount=-1)
            await limiter.count(self.state, _desk_key(self.username, self.client), DESK_MEMORY_SECONDS)


async def admit(state, username: str, client: str | None) -> Attempt:
    """Count one attempt, or refuse it (429) before anything is hashed."""
    settings = state.settings
    now = clock.now().timestamp()
    until = await limiter.locked_until(state, _lock_key(username))
    if until is not None:
        raise locked_error(until)
    if client is not None:
        counted = await limiter.count(state, _client_counter(client), settings.login_client_window_seconds)
        if counted is not None and counted.value > settings.login_client_limit:
            raise _client_error(counted.retry_after(now))
    window = settings.login_failure_window_minutes * 60
    counted = await limiter.count(state, _fail_key(username), window)
    if counted is not None and counted.value > settings.login_lock_attempts:
        # more attempts raced in than failures allowed: the lock is (being) set by those before
        until = await lock(state, username)
        raise locked_error(until)
    return Attempt(state, username, client, await _priority(state, username, client, counted))


async def _priority(state, username: str, client: str | None, counted) -> int:
    if client is not None:
        desk = await limiter.count(state, _desk_key(username, client), DESK_MEMORY_SECONDS, amount=0)
        if desk is not None and desk.value > 0:
            return KNOWN_DESK
    # no other attempt (failed or under way) counted for this username: not part of a guessing run
    return CLEAN if counted is None or counted.value <= 1 else SUSPECT


async def lock(state, username: str) -> datetime:
    until = clock.now() + timedelta(minutes=state.settings.login_lock_minutes)
    await limiter.lock(state, _lock_key(username), until)
    await limiter.clear(state, _fail_key(username))
    return until


async def unlock(state, username: str) -> None:
    """Lift a lock and forget the failures (admin reset or unlock)."""
    await limiter.unlock(state, _lock_key(username))
    await limiter.clear(state, _fail_key(username))


async def locked_until(state, username: str) -> datetime | None:
    return await limiter.locked_until(state, _lock_key(username))
