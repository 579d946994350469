"""电子监察 series: the statistics' counts grouped by (department, period), one SQL per family.

A period is a ``bucket`` of China-time days: ``week`` (from Monday), ``month`` (from the 1st) or ``all``
(the whole range, for ``GET /staff/stats``); every row names the period's first day (``all``: 1970-01-01).
On PostgreSQL the local day is epoch arithmetic (+8 h, no time-zone lookup per row); on SQLite
``date(…, '+8 hours')`` and its modifiers. The service folds periods into departments and totals, so the
series, the dashboard and ``GET /staff/stats`` read the same rows (see ``cases/stats_series.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from tortoise import connections

from citizen_api.clock import to_local

_PLACEHOLDER = re.compile(r"\$\d+")
ALL = date(1970, 1, 1)  # the period of bucket "all"


def _narrow() -> str:
    """Keeps PostgreSQL from flattening the row subquery: it then hashes a few narrow columns."""
    return "" if _sqlite() else "OFFSET 0"


def _sqlite() -> bool:
    return connections.get("default").capabilities.dialect == "sqlite"


def _local_day(column: str) -> str:
    """The China-time date of a timestamp column."""
    if _sqlite():
        return f"date({column}, '+8 hours')"
    return f"(DATE '1970-01-01' + floor((date_part('epoch', {column}) + 28800) / 86400)::int)"


def _bucket(day: str, bucket: str) -> str:
    """The first day of the period holding the date expression ``day``."""
    if _sqlite():
        return {
            "week": f"date({day}, 'weekday 0', '-6 days')",
            "month": f"date({day}, 'start of month')",
            "day": f"date({day})",
        }.get(bucket, "'1970-01-01'")
    return {
        "week": f"({day} - (({day} - DATE '1970-01-05') % 7))",
        "month": f"date_trunc('month', {day})::date",
        "day": day,
    }.get(bucket, "DATE '1970-01-01'")


def _next_day(column: str) -> str:
    return f"date({column}, '+1 day')" if _sqlite() else f"({column} + 1)"


def _far() -> str:
    return "'9999-12-31'" if _sqlite() else "DATE '9999-12-31'"


def _in_range(column: str, n: int) -> str:
    """``column`` within [$n, $n+1): index-friendly on PostgreSQL, by local day on SQLite."""
    if _sqlite():
        return f"{_local_day(column)} >= ${n} AND {_local_day(column)} < ${n + 1}"
    return f"{column} >= ${n} AND {column} < ${n + 1}"


async def _run(statement: str, *args: Any) -> list[dict]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        statement = _PLACEHOLDER.sub(lambda m: "?" + m.group(0)[1:], statement)  # ?N: reusable
        args = tuple(
            to_local(a).date().isoformat()
            if isinstance(a, datetime)
            else a.isoformat()
            if isinstance(a, date)
            else a
            for a in args
        )
    rows = await conn.execute_query_dict(statement, list(args))
    for row in rows:
        value = row.get("period")
        if isinstance(value, str):
            row["period"] = date.fromisoformat(value[:10])
        elif isinstance(value, datetime):
            row["period"] = value.date()
    return rows


def _scope(department: str | None, n: int) -> tuple[str, list]:
    """``department`` None: every department (the caller checked the principal)."""
    if department is None:
        return "", []
    return f" AND department_code = ${n}", [department]


def _by_day_then_period(rows: str, sums: dict[str, str], bucket: str) -> str:
    """Two steps: the rows (each with its local ``day``, worked out once per row) summed per
    (department, day) — the scan's whole work — then those few rows per period. Bucketing in the
    scan works the day out again for its period: twice the per-row arithmetic (1.5× the time).
    ``sums``: {alias: the row expression summed}."""
    per_day = ", ".join(f"SUM({expr}) AS {alias}" for alias, expr in sums.items())
    # PostgreSQL sums integers into numeric (Decimal): the counts stay integers
    per_period = ", ".join(f"CAST(SUM({alias}) AS INTEGER) AS {alias}" for alias in sums)
    days = (
        f"SELECT department_code, day, COUNT(*) AS n, {per_day} "
        f"FROM ({rows} {_narrow()}) AS row_days GROUP BY 1, 2"
    )
    return (
        f"SELECT department_code, {_bucket('day', bucket)} AS period, "
        f"CAST(SUM(n) AS INTEGER) AS n, {per_period} "
        f"FROM ({days}) AS days GROUP BY 1, 2"
    )


async def filed(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Cases filed in [lower, upper): n, online, zero_trip per (department_code, period)."""
    scope, extra = _scope(department, 3)
    rows = (
        f"SELECT department_code, {_local_day('submitted_at')} AS day, "
        "CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online, "
        "CASE WHEN item_trips = 0 AND (delivery_channel IS NULL OR delivery_channel <> 'window') "
        "THEN 1 ELSE 0 END AS zero_trip "
        f"FROM applications WHERE {_in_range('submitted_at', 1)}{scope}"
    )
    sums = {"online": "online", "zero_trip": "zero_trip"}
    return await _run(_by_day_then_period(rows, sums, bucket), lower, upper, *extra)


async def decided(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Cases decided in [lower, upper): n, on_time, days, timed per (department_code, period)."""
    scope, extra = _scope(department, 3)
    rows = (
        f"SELECT department_code, {_local_day('decided_at')} AS day, "
        "CASE WHEN on_time THEN 1 ELSE 0 END AS on_time, working_days_used, "
        "CASE WHEN working_days_used IS NULL THEN 0 ELSE 1 END AS timed "
        f"FROM applications WHERE {_in_range('decided_at', 1)}{scope}"
    )
    sums = {"on_time": "on_time", "days": "working_days_used", "timed": "timed"}
    return await _run(_by_day_then_period(rows, sums, bucket), lower, upper, *extra)


async def warnings(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Yellow and red cards written in [lower, upper), per (department_code, period, level)."""
    scope, extra = _scope(department, 3)
    rows = (
        f"SELECT department_code, level, {_local_day('created_at')} AS day FROM supervision_warnings "
        f"WHERE {_in_range('created_at', 1)} AND level IN ('yellow', 'red'){scope}"
    )
    cards = f"({rows} {_narrow()}) AS cards"
    days = f"SELECT department_code, level, day, COUNT(*) AS n FROM {cards} GROUP BY 1, 2, 3"
    sql = (
        f"SELECT department_code, {_bucket('day', bucket)} AS period, level, CAST(SUM(n) AS INTEGER) AS n "
        f"FROM ({days}) AS days GROUP BY 1, 2, 3"
    )
    return await _run(sql, lower, upper, *extra)


async def warning_intervals(start: date, end: date, department: str | None, bucket: str) -> list[dict]:
    """When accepted cases showed yellow and red, as events per (department_code, kind, period):
    ``ys``/``ye`` a yellow interval starts/ends (exclusive), ``rs``/``re`` a red one, each in the period
    of its day. A case is yellow on [yellow_on, min(deadline + 1, done)), red on [deadline + 1, done),
    done = its decision's day. Events after ``end`` are left out (they count for no period end).

    One scan: the cases are grouped by the periods of their four days (few distinct combinations),
    and each group's events are unfolded here."""
    scope, extra = _scope(department, 3)
    where = (
        "deadline IS NOT NULL AND accepted_on IS NOT NULL AND accepted_on <= $2 "
        f"AND (decided_at IS NULL OR {_local_day('decided_at')} >= $1){scope}"
    )
    # each case's days worked out once (the fences keep PostgreSQL from inlining them into every CASE
    # below, which computed the decision's local day ten times per case)
    cases = (
        f"SELECT department_code, yellow_on, {_next_day('deadline')} AS after, "
        f"COALESCE({_local_day('decided_at')}, {_far()}) AS done FROM applications WHERE {where} {_narrow()}"
    )
    spans = (
        "SELECT department_code, yellow_on, after, done, "
        f"CASE WHEN done < after THEN done ELSE after END AS yellow_end FROM ({cases}) AS cases {_narrow()}"
    )
    yellow = "yellow_on IS NOT NULL AND yellow_on < yellow_end"
    red = "after < done"

    def period(day: str, happens: str) -> str:
        return f"CASE WHEN {happens} AND {day} <= $2 THEN {_bucket(day, bucket)} END"

    sql = (
        f"SELECT department_code, {period('yellow_on', yellow)} AS ys, {period('yellow_end', yellow)} AS ye, "
        f"{period('after', red)} AS rs, {period('done', red)} AS re, COUNT(*) AS n "
        f"FROM ({spans}) AS spans GROUP BY 1, 2, 3, 4, 5"
    )
    events: dict[tuple[str, str, date], int] = {}
    for row in await _run(sql, start, end, *extra):
        for kind in ("ys", "ye", "rs", "re"):
            day = row[kind]
            if day is None:
                continue
            day = date.fromisoformat(day[:10]) if isinstance(day, str) else day
            key = (row["department_code"], kind, day)
            events[key] = events.get(key, 0) + row["n"]
    return [
        {"department_code": code, "kind": kind, "period": day, "n": n}
        for (code, kind, day), n in events.items()
    ]
