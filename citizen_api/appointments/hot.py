"""What the booking path reads on every attempt and that rarely changes, kept a few seconds per process.

The published item by code and a slot's fixed fields (group, hall, date, mode, start, capacity —
never its ``booked`` count, which only the conditional UPDATE decides) are reused for
``booking_cache_seconds`` (monotonic time, not the service clock). Only found items are kept: an
unknown code is asked again. The day's mode has its own cache (``workdays.cache``).
"""

from __future__ import annotations

import time
from typing import Any

from citizen_api.appointments.models import Slot
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.rules import bookable_item

_KEY = "appointments.hot"
_MAX = 20_000


def _table(state) -> dict[Any, tuple[float, Any]]:
    return state.extras.setdefault(_KEY, {})


def _get(state, key) -> Any:
    found = _table(state).get(key)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    return None


def _put(state, key, value) -> None:
    table = _table(state)
    if len(table) >= _MAX:
        table.clear()
    table[key] = (time.monotonic() + state.settings.booking_cache_seconds, value)


async def item(state, code: str):
    """``rules.bookable_item`` (404 / 409 NOT_BOOKABLE), reused for a few seconds when found."""
    found = _get(state, ("item", code))
    if found is None:
        found = await bookable_item(code)
        _put(state, ("item", code), found)
    return found


async def slot_for_item(state, slot_id: int, item_id: int) -> Slot | None:
    """The slot (with group and hall) if an active group serving the item owns it; ``booked`` stale."""
    key = ("slot", slot_id, item_id)
    found = _get(state, key)
    if found is None:
        found = await repo.slot_for_item(slot_id, item_id)
        if found is not None:
            _put(state, key, found)
    return found


def forget(state) -> None:
    _table(state).clear()
