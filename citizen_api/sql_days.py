"""China-time days in SQL, for both dialects: the 电子监察 rollup's triggers and reads and the ratings'
statistics build on these.

On PostgreSQL the local day is epoch arithmetic (+8 h, no time-zone lookup per row); on SQLite
``date(…, '+8 hours')`` and its modifiers. ``sqlite`` says which dialect a statement is for (the
triggers are written before any connection is open to ask).
"""

from __future__ import annotations


def local_day(column: str, sqlite: bool) -> str:
    """The China-time date of a timestamp column."""
    if sqlite:
        return f"date({column}, '+8 hours')"
    return f"(DATE '1970-01-01' + floor((date_part('epoch', {column}) + 28800) / 86400)::int)"


def bucket(day: str, period: str, sqlite: bool) -> str:
    """The first day of the ``period`` (week, month, day; else 1970-01-01) holding the date ``day``."""
    if sqlite:
        return {
            "week": f"date({day}, 'weekday 0', '-6 days')",
            "month": f"date({day}, 'start of month')",
            "day": f"date({day})",
        }.get(period, "'1970-01-01'")
    return {
        "week": f"({day} - (({day} - DATE '1970-01-05') % 7))",
        "month": f"date_trunc('month', {day})::date",
        "day": day,
    }.get(period, "DATE '1970-01-01'")


def next_day(column: str, sqlite: bool) -> str:
    return f"date({column}, '+1 day')" if sqlite else f"({column} + 1)"


def far(sqlite: bool) -> str:
    return "'9999-12-31'" if sqlite else "DATE '9999-12-31'"


def least(a: str, b: str, sqlite: bool) -> str:
    return f"min({a}, {b})" if sqlite else f"LEAST({a}, {b})"
