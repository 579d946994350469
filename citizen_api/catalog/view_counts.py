"""Guide views for the popularity ranking: counted at most once per viewer, per item, per day.

The viewer is the citizen when logged in (whatever the address), otherwise the client address; an
IPv6 address counts by its /64 (one household or phone gets a whole /64, so rotating addresses
inside it is no way to count again). Staff readings never count. The day is China's calendar day
(``citizen_api.clock``), so tests move it instead of waiting.

Where "seen today" is remembered:

- with Redis (``state.redis``): ``SET onetrip:view:<day>:<item>:<viewer> 1 NX EX 26h``, shared by
  every worker process; the day is in the key, the expiry only cleans up;
- without Redis, or while it fails: a set per process for the current day, bounded by
  ``catalog_view_memory_keys``. When full, a new viewer is not counted until the next day: never
  evicting is what keeps a flood of addresses from pushing one viewer out and counting it again.
  With several processes and no Redis a viewer counts at most once per process.

A table with a unique (item, viewer, day) key was the other choice; it was not taken because every
anonymous GET of a guide would become a database write (and a table to prune), for a number that
only orders search results.
"""

from __future__ import annotations

import ipaddress

import structlog

from citizen_api import clock
from citizen_api.security.principal import Principal

log = structlog.get_logger("onetrip.catalog.view_counts")

_MEMORY_KEY = "catalog.view_counts.seen"
REDIS_TTL_SECONDS = 26 * 3600


def viewer_of(principal: Principal | None, client_ip: str) -> str | None:
    """Whose view this is (None: a staff member, not counted)."""
    if principal is not None:
        return f"u{principal.user_id}" if principal.is_citizen else None
    return f"a{_address(client_ip)}"


def _address(raw: str) -> str:
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class SeenToday:
    """(item, viewer) pairs seen on one day, at most ``max_keys``."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self.day: str | None = None
        self.keys: set[str] = set()

    def first(self, day: str, key: str) -> bool:
        if day != self.day:
            self.day, self.keys = day, set()
        if key in self.keys or len(self.keys) >= self.max_keys:
            return False
        self.keys.add(key)
        return True


def _memory(state) -> SeenToday:
    extras = state.extras
    seen = extras.get(_MEMORY_KEY)
    if seen is None:
        seen = extras[_MEMORY_KEY] = SeenToday(state.settings.catalog_view_memory_keys)
    return seen


async def first_view_today(state, item_id: int, viewer: str) -> bool:
    """True the first time ``viewer`` reads the item today (then the view counts)."""
    day = clock.today().isoformat()
    key = f"{item_id}:{viewer}"
    redis = getattr(state, "redis", None)
    if redis is not None:
        try:
            return bool(await redis.set(f"onetrip:view:{day}:{key}", b"1", nx=True, ex=REDIS_TTL_SECONDS))
        except Exception as exc:  # Redis down: remember in this process instead
            log.warning("view dedupe falls back to memory", error=type(exc).__name__)
    return _memory(state).first(day, key)
