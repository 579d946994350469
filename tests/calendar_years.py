"""Years for the calendar tests that hold whichever chinese-calendar release is installed.

chinese-calendar learns each year's official schedule in a new release (1.11 knows 2004–2026); a test
that took 2027 as "not published yet" breaks on the release that learns 2027. So the "unknown year"
tests run in ``UNKNOWN`` instead, and the year before it, ``KNOWN``, is made known the way an office
makes a year known: by importing its schedule (``import_known_year``), through the app's own import
path. ``KNOWN``/``UNKNOWN`` are the first pair 28·k years after 2026/2027 that the installed
chinese-calendar knows neither of; 28 years on every date falls on the same weekday and the leap
years match (1901–2099), so the tests read like 2026/2027: Thu 31 Dec, Fri 1 Jan, Mon 4 Jan.

The clock of such a test stands decades after the wall clock, where tokens minted on the service
clock are not valid yet (PyJWT checks ``iat`` against the wall clock): mint them first, on the wall
clock, with ``FAR_TOKENS`` (they outlive the jump; expiry is checked on the service clock).
"""

from __future__ import annotations

import json
from datetime import date

import chinese_calendar

from citizen_api.workdays.schedule import MAX_YEAR


def library_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has ``year``'s schedule (it raises for other years)."""
    try:
        chinese_calendar.get_holiday_detail(date(year, 1, 1))
        chinese_calendar.get_holiday_detail(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


def _first_unknown_pair() -> int:
    for shift in range(28, MAX_YEAR - 2027, 28):
        # the year after UNKNOWN too: "the next year is still unknown" is asserted as well
        if not any(library_knows(2026 + shift + offset) for offset in range(3)):
            return 2026 + shift
    raise RuntimeError(f"chinese-calendar {chinese_calendar.__version__} knows every year up to {MAX_YEAR}")


KNOWN = _first_unknown_pair()  # 2054 with chinese-calendar 1.11
UNKNOWN = KNOWN + 1
assert date(KNOWN, 1, 1).weekday() == date(2026, 1, 1).weekday()  # the weekdays the tests read
assert date(UNKNOWN, 1, 1).weekday() == date(2027, 1, 1).weekday()

# access tokens minted on the wall clock that are still valid when the service clock is in UNKNOWN
FAR_TOKENS = {"access_token_ttl_seconds": 100 * 366 * 24 * 3600}


def known(month: int, day: int) -> date:
    return date(KNOWN, month, day)


def unknown(month: int, day: int) -> date:
    return date(UNKNOWN, month, day)


def schedule(year: int) -> dict:
    """A made-up schedule in the contract's format, laid out on 2027's weekdays (the real one is
    published each November): 元旦 Fri 1 – Sun 3 Jan, 春节 Sat 6 – Sat 13 Feb, make-up Sun 14 and
    Sat 20 Feb."""
    return {
        "year": year,
        "holidays": [
            {"name": "元旦", "dates": [f"{year}-01-01", f"{year}-01-02", f"{year}-01-03"]},
            {"name": "春节", "dates": [f"{year}-02-{d:02d}" for d in range(6, 14)]},
        ],
        "workdays": [f"{year}-02-14", f"{year}-02-20"],
    }


def new_year_only(year: int) -> str:
    """The smallest schedule an office may import: 元旦 on 1 Jan, nothing else (JSON)."""
    return json.dumps(
        {"year": year, "holidays": [{"name": "元旦", "dates": [f"{year}-01-01"]}], "workdays": []},
        ensure_ascii=False,
    )


async def import_known_year() -> None:
    """Make ``KNOWN`` a known year as an office does: import its schedule (元旦 only, which no test
    counts across); the app must then answer for it, and still flag ``UNKNOWN``."""
    from citizen_api.workdays import cache, service
    from citizen_api.workdays.schedule import parse

    await service.import_schedule(parse(new_year_only(KNOWN)))
    cache.expire_check()
