"""What the booking path and the listings read on every request and that rarely changes, kept a few
seconds per process.

The published item by code, the window groups serving an item and a slot's fixed fields (group,
hall, date, mode, start, capacity — never its ``booked`` count, which only the conditional UPDATE
decides) are reused for ``booking_cache_seconds`` (monotonic time, not the service clock). Only
found items and slots are kept. Concurrent misses of one key share one query (a cold start under a
rush asks once, not once per request). An admin's change of groups or schedules forgets them in
its process (``forget``). The day's mode has its own cache (``workdays.cache``).

The listings' answers (GET /days, /slots: what thousands of phones poll before a release) are
shared for ``listing_cache_seconds`` (1 s) of the service clock: one computation per second and
query instead of one per phone. A booking, cancellation or waiting-list change committed in this
process starts a new generation (``changed``), so its own next listing is fresh; another
process's change shows within the second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Any

from citizen_api import clock
from citizen_api.appointments.models import Slot
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.rules import bookable_item
from citizen_api.appointments.schedule import ensure_slots

_KEY = "appointments.hot"
_MADE = "appointments.slots_made"
_GENERATION = "appointments.generation"
_MAX = 20_000


def _table(state) -> dict[Any, tuple[float, Any, Any]]:
    return state.extras.setdefault(_KEY, {})


async def cached(
    state, key, load: Callable[[], Awaitable[Any]], seconds: float | None = None, version: Any = None
) -> Any:
    """The value of ``key``, loading it once for every concurrent caller when missing, stale or of
    another ``version``; kept ``seconds`` (default ``booking_cache_seconds``). A new version replaces
    the entry in place: one entry per key, however often the version moves."""
    table = _table(state)
    found = table.get(key)
    now = time.monotonic()
    if found is not None and found[0] > now and found[1] == version:
        value = found[2]
        return await value if isinstance(value, asyncio.Future) else value
    if len(table) >= _MAX:
        table.clear()
    pending = asyncio.get_running_loop().create_future()
    table[key] = (float("inf"), version, pending)
    try:
        value = await load()
    except BaseException as exc:
        if table.get(key, (0, None, None))[2] is pending:
            table.pop(key, None)
        pending.set_exception(exc)
        pending.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        raise
    pending.set_result(value)
    if table.get(key, (0, None, None))[2] is not pending:
        return value  # a caller of a newer version replaced the entry meanwhile: keep theirs
    if value is None:
        table.pop(key, None)  # not found: asked again next time
    else:
        keep = state.settings.booking_cache_seconds if seconds is None else seconds
        table[key] = (now + keep, version, value)
    return value


async def item(state, code: str):
    """``rules.bookable_item`` (404 / 409 NOT_BOOKABLE), reused for a few seconds when found."""
    return await cached(state, ("item", code), lambda: bookable_item(code))


async def slot_for_item(state, slot_id: int, item_id: int) -> Slot | None:
    """The slot (with group and hall) if an active group serving the item owns it; ``booked`` stale."""
    return await cached(state, ("slot", slot_id, item_id), lambda: repo.slot_for_item(slot_id, item_id))


async def group_ids(state, item_id: int) -> list[int]:
    """The active window groups serving the item."""
    return await cached(state, ("groups", item_id), lambda: repo.group_ids_for_item(item_id))


async def ensure_day_slots(state, groups: Iterable[int], day: date, mode: str) -> None:
    """``schedule.ensure_slots`` once per (groups, day, mode) and process: made slots stay made."""
    made: set = state.extras.setdefault(_MADE, set())
    key = (tuple(sorted(groups)), day, mode)
    if key in made:
        return
    await ensure_slots(key[0], day, mode)
    if len(made) >= _MAX:
        made.clear()
    made.add(key)


async def listing(state, key: tuple, load: Callable[[], Awaitable[Any]]) -> Any:
    """A listing's answer for ``key`` (the endpoint and its query), shared within one
    ``listing_cache_seconds`` step of the service clock and this process's generation."""
    seconds = state.settings.listing_cache_seconds
    if seconds <= 0:
        return await load()
    step = int(clock.now().timestamp() // seconds)
    version = (step, state.extras.get(_GENERATION, 0))
    return await cached(state, ("listing", key), load, seconds=seconds, version=version)


def changed(state) -> None:
    """Places changed by this process (committed): its listings are read again."""
    state.extras[_GENERATION] = state.extras.get(_GENERATION, 0) + 1


def drop(state, key) -> None:
    _table(state).pop(key, None)


def forget(state) -> None:
    """After an admin changed groups, their items or schedules (slots may have been dropped)."""
    _table(state).clear()
    state.extras.pop(_MADE, None)
