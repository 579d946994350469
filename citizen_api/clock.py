"""One clock for the whole service, so tests can move time (deadlines, warnings, ratings).

Times are kept in UTC in the database and shown in China Standard Time (+08:00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")

_offset = timedelta(0)
_fixed: datetime | None = None


def now() -> datetime:
    """The current instant, aware, in UTC."""
    if _fixed is not None:
        return _fixed
    return datetime.now(UTC) + _offset


def local_now() -> datetime:
    return now().astimezone(CST)


def today() -> date:
    """Today's date in China (what a citizen's calendar says)."""
    return local_now().date()


def set_now(value: datetime | None) -> None:
    """Freeze the clock at ``value`` (None unfreezes). For tests and drills only."""
    global _fixed
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=CST)
    _fixed = value.astimezone(UTC) if value is not None else None


def advance(delta: timedelta) -> None:
    """Move the clock forward, frozen or not."""
    global _fixed, _offset
    if _fixed is not None:
        _fixed = _fixed + delta
    else:
        _offset += delta


def reset() -> None:
    global _fixed, _offset
    _fixed, _offset = None, timedelta(0)


def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CST)


NowFn = Callable[[], datetime]
