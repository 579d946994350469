"""The per-process calendar cache: one small query at most once a second, a reload only on change.

Every calendar write stores a new random token in ``calendar_state``; a process compares its
token at most once per ``CHECK_INTERVAL`` and reloads the (few hundred) override rows when it
differs. Writes in this process expire the check at once, so the writer sees its own change.
"""

from __future__ import annotations

import time

import structlog

from citizen_api.workdays.days import Snapshot
from citizen_api.workdays.models import SOURCE_ADMIN, CalendarDay, CalendarState, CalendarYear

log = structlog.get_logger("onetrip.workdays")

CHECK_INTERVAL = 1.0  # seconds between token checks (wall clock, not citizen_api.clock)
STATE_NAME = "calendar"

_snapshot = Snapshot()
_checked_at = float("-inf")
_loaded = False


def expire_check() -> None:
    """Make the next lookup compare tokens (after a write here, or when another process wrote)."""
    global _checked_at
    _checked_at = float("-inf")


def reset() -> None:
    """Forget everything (start-up of an app against a possibly different database)."""
    global _snapshot, _loaded
    _snapshot = Snapshot()
    _loaded = False
    expire_check()


async def snapshot() -> Snapshot:
    """The current overrides, fresh within ``CHECK_INTERVAL`` seconds."""
    global _snapshot, _checked_at, _loaded
    started = time.monotonic()
    if started - _checked_at < CHECK_INTERVAL:
        return _snapshot
    try:
        state = await CalendarState.get_or_none(name=STATE_NAME)
        token = state.token if state else None
        if not _loaded or token != _snapshot.token:
            _snapshot = await _load(token)
            _loaded = True
    except Exception as exc:  # an outage must not stop deadline arithmetic
        # keep the last snapshot: imported years then fall back to weekends-only (flagged uncertain)
        log.warning("calendar overrides unavailable", error=type(exc).__name__)
    _checked_at = started
    return _snapshot


async def _load(token: str | None) -> Snapshot:
    rows = await CalendarDay.all().values_list("day", "source", "kind", "name")
    years = await CalendarYear.all().values_list("year", flat=True)
    imported: dict = {}
    admin: dict = {}
    for day, source, kind, name in rows:
        (admin if source == SOURCE_ADMIN else imported)[day] = (kind, name or "")
    log.info("calendar overrides loaded", rows=len(rows), years=sorted(years))
    return Snapshot(token=token, years=frozenset(years), imported=imported, admin=admin)
