"""电子监察 series: the statistics' counts grouped by (department, China-time day), one SQL per family.

A day is the local (+08:00) date of the timestamp: ``AT TIME ZONE`` on PostgreSQL, ``date(…, '+8 hours')``
on SQLite. The service folds days into weeks or months, and sums them for a whole period, so the series
and ``GET /staff/stats`` read the same rows (see ``cases/stats_series.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from tortoise import connections

from citizen_api.clock import CST as _CST

_PLACEHOLDER = re.compile(r"\$\d+")


def _dialect() -> str:
    return connections.get("default").capabilities.dialect


def _day(column: str) -> str:
    if _dialect() == "sqlite":
        return f"date({column}, '+8 hours')"
    return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"


def _next_day(column: str) -> str:
    return f"date({column}, '+1 day')" if _dialect() == "sqlite" else f"({column} + 1)"


def _far() -> str:
    return "'9999-12-31'" if _dialect() == "sqlite" else "DATE '9999-12-31'"


def _in_range(column: str, n: int) -> str:
    """``column`` within [$n, $n+1): index-friendly on PostgreSQL, by local day on SQLite."""
    if _dialect() == "sqlite":
        return f"{_day(column)} >= ${n} AND {_day(column)} < ${n + 1}"
    return f"{column} >= ${n} AND {column} < ${n + 1}"


async def _run(statement: str, *args: Any) -> list[dict]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        statement = _PLACEHOLDER.sub(lambda m: "?" + m.group(0)[1:], statement)  # ?N: reusable
        args = tuple(
            a.astimezone(_CST).date().isoformat()
            if isinstance(a, datetime)
            else a.isoformat()
            if isinstance(a, date)
            else a
            for a in args
        )
    rows = await conn.execute_query_dict(statement, list(args))
    for row in rows:
        for key in ("day",):
            value = row.get(key)
            if isinstance(value, str):
                row[key] = date.fromisoformat(value[:10])
            elif isinstance(value, datetime):
                row[key] = value.date()
    return rows


def _scope(department: str | None, n: int) -> tuple[str, list]:
    """``department`` None: every department (the caller checked the principal)."""
    if department is None:
        return "", []
    return f" AND department_code = ${n}", [department]


async def filed_by_day(lower: datetime, upper: datetime, department: str | None) -> list[dict]:
    """Cases filed in [lower, upper): n, online, zero_trip per (department_code, day)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_day('submitted_at')} AS day, COUNT(*) AS n, "
        "SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END) AS online, "
        "SUM(CASE WHEN item_trips = 0 AND (delivery_channel IS NULL OR delivery_channel <> 'window') "
        "THEN 1 ELSE 0 END) AS zero_trip "
        f"FROM applications WHERE {_in_range('submitted_at', 1)}{scope} GROUP BY 1, 2"
    )
    return await _run(sql, lower, upper, *extra)


async def decided_by_day(lower: datetime, upper: datetime, department: str | None) -> list[dict]:
    """Cases decided in [lower, upper): n, on_time, days, timed per (department_code, day)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_day('decided_at')} AS day, COUNT(*) AS n, "
        "SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time, "
        "SUM(working_days_used) AS days, COUNT(working_days_used) AS timed "
        f"FROM applications WHERE {_in_range('decided_at', 1)}{scope} GROUP BY 1, 2"
    )
    return await _run(sql, lower, upper, *extra)


async def warnings_by_day(lower: datetime, upper: datetime, department: str | None) -> list[dict]:
    """Yellow and red cards written in [lower, upper), per (department_code, day, level)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_day('created_at')} AS day, level, COUNT(*) AS n "
        f"FROM supervision_warnings WHERE {_in_range('created_at', 1)} AND level IN ('yellow', 'red')"
        f"{scope} GROUP BY 1, 2, 3"
    )
    return await _run(sql, lower, upper, *extra)


async def warning_intervals(start: date, end: date, department: str | None) -> list[dict]:
    """When accepted cases showed yellow and red, as day events per (department_code, kind, day):
    ``ys``/``ye`` a yellow interval starts/ends (exclusive), ``rs``/``re`` a red one. A case is yellow
    on [yellow_on, min(deadline + 1, done)), red on [deadline + 1, done), done = its decision's day.
    Only cases whose intervals may touch [start, end] are read."""
    done = f"COALESCE({_day('decided_at')}, {_far()})"
    after = _next_day("deadline")
    scope, extra = _scope(department, 3)
    base = (
        "FROM applications WHERE deadline IS NOT NULL AND accepted_on IS NOT NULL "
        f"AND accepted_on <= $2 AND (decided_at IS NULL OR {_day('decided_at')} >= $1){scope}"
    )
    yellow_end = f"CASE WHEN {done} < {after} THEN {done} ELSE {after} END"
    parts = [
        f"SELECT department_code, 'ys' AS kind, yellow_on AS day {base} "
        f"AND yellow_on IS NOT NULL AND yellow_on < {yellow_end}",
        f"SELECT department_code, 'ye' AS kind, {yellow_end} AS day {base} "
        f"AND yellow_on IS NOT NULL AND yellow_on < {yellow_end}",
        f"SELECT department_code, 'rs' AS kind, {after} AS day {base} AND {after} < {done}",
        f"SELECT department_code, 're' AS kind, {done} AS day {base} AND {after} < {done}",
    ]
    sql = (
        "SELECT department_code, kind, day, COUNT(*) AS n FROM ("
        + " UNION ALL ".join(parts)
        + ") AS events GROUP BY 1, 2, 3"
    )
    return await _run(sql, start, end, *extra)
