"""The per-process calendar cache: one small query at most once a second, a reload only on change.

Every calendar write stores a new random token in ``calendar_state``; a process compares its
token at most once per ``CHECK_INTERVAL`` and reloads the (few hundred) override rows when it
differs. Writes in this process expire the check at once, so the writer sees its own change.
"""

from __future__ import annotations

import time

import structlog

from citizen_api.workdays import repository as repo
from citizen_api.workdays.days import Snapshot
from citizen_api.workdays.models import SOURCE_ADMIN

log = structlog.get_logger("onetrip.workdays")

CHECK_INTERVAL = 1.0  # seconds between token checks (wall clock, not citizen_api.clock)


class CalendarCache:
    def __init__(self) -> None:
        self._snapshot = Snapshot()
        self._checked_at = float("-inf")
        self._loaded = False
        self._expiries = 0

    def expire_check(self) -> None:
        """Make the next lookup compare tokens (after a write here, or when another process wrote)."""
        self._checked_at = float("-inf")
        self._expiries += 1

    def reset(self) -> None:
        """Forget everything (start-up of an app against a possibly different database)."""
        self._snapshot = Snapshot()
        self._loaded = False
        self.expire_check()

    async def snapshot(self) -> Snapshot:
        """The current overrides, fresh within ``CHECK_INTERVAL`` seconds."""
        started = time.monotonic()
        if started - self._checked_at < CHECK_INTERVAL:
            return self._snapshot
        if self._loaded:
            # one check per interval however many ask at once (a rush asked hundreds of times a
            # second): the others answer from the snapshot they had a moment ago meanwhile
            self._checked_at = started
        expiries = self._expiries
        try:
            token = await repo.current_token()
            if not self._loaded or token != self._snapshot.token:
                self._snapshot = await _load(token)
                self._loaded = True
        except Exception as exc:  # an outage must not stop deadline arithmetic
            # keep the last snapshot: imported years then fall back to weekends-only (flagged uncertain)
            log.warning("calendar overrides unavailable", error=type(exc).__name__)
        if self._expiries == expiries:  # a write here meanwhile: the next lookup checks again
            self._checked_at = started
        return self._snapshot


async def _load(token: str | None) -> Snapshot:
    rows = await repo.all_overrides()
    years = await repo.imported_year_numbers()
    imported: dict = {}
    admin: dict = {}
    for day, source, kind, name in rows:
        (admin if source == SOURCE_ADMIN else imported)[day] = (kind, name or "")
    log.info("calendar overrides loaded", rows=len(rows), years=sorted(years))
    return Snapshot(token=token, years=frozenset(years), imported=imported, admin=admin)


# One per process: every domain asks ``workdays.service`` about days without a state handle (case
# deadlines in requests and in jobs alike); the workdays start-up resets it for each app.
CALENDAR = CalendarCache()
expire_check = CALENDAR.expire_check
reset = CALENDAR.reset
snapshot = CALENDAR.snapshot
