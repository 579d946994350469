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


def _sqlite() -> bool:
    return connections.get("default").capabilities.dialect == "sqlite"


def _local_day(column: str) -> str:
    """The China-time date of a timestamp column."""
    if _sqlite():
        return f"date({column}, '+8 hours')"
    return f"(DATE '1970-01-01' + floor((extract(epoch FROM {column}) + 28800) / 86400)::int)"


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


async def filed(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Cases filed in [lower, upper): n, online, zero_trip per (department_code, period)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_bucket(_local_day('submitted_at'), bucket)} AS period, COUNT(*) AS n, "
        "SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END) AS online, "
        "SUM(CASE WHEN item_trips = 0 AND (delivery_channel IS NULL OR delivery_channel <> 'window') "
        "THEN 1 ELSE 0 END) AS zero_trip "
        f"FROM applications WHERE {_in_range('submitted_at', 1)}{scope} GROUP BY 1, 2"
    )
    return await _run(sql, lower, upper, *extra)


async def decided(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Cases decided in [lower, upper): n, on_time, days, timed per (department_code, period)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_bucket(_local_day('decided_at'), bucket)} AS period, COUNT(*) AS n, "
        "SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time, "
        "SUM(working_days_used) AS days, COUNT(working_days_used) AS timed "
        f"FROM applications WHERE {_in_range('decided_at', 1)}{scope} GROUP BY 1, 2"
    )
    return await _run(sql, lower, upper, *extra)


async def warnings(lower: datetime, upper: datetime, department: str | None, bucket: str) -> list[dict]:
    """Yellow and red cards written in [lower, upper), per (department_code, period, level)."""
    scope, extra = _scope(department, 3)
    sql = (
        f"SELECT department_code, {_bucket(_local_day('created_at'), bucket)} AS period, level, "
        f"COUNT(*) AS n FROM supervision_warnings WHERE {_in_range('created_at', 1)} "
        "AND level IN ('yellow', 'red')"
        f"{scope} GROUP BY 1, 2, 3"
    )
    return await _run(sql, lower, upper, *extra)


async def warning_intervals(start: date, end: date, department: str | None, bucket: str) -> list[dict]:
    """When accepted cases showed yellow and red, as events per (department_code, kind, period):
    ``ys``/``ye`` a yellow interval starts/ends (exclusive), ``rs``/``re`` a red one, each in the period
    of its day. A case is yellow on [yellow_on, min(deadline + 1, done)), red on [deadline + 1, done),
    done = its decision's day. Events after ``end`` are left out (they count for no period end)."""
    done = f"COALESCE({_local_day('decided_at')}, {_far()})"
    after = _next_day("deadline")
    yellow_end = f"CASE WHEN {done} < {after} THEN {done} ELSE {after} END"
    scope, extra = _scope(department, 3)
    where = (
        "deadline IS NOT NULL AND accepted_on IS NOT NULL AND accepted_on <= $2 "
        f"AND (decided_at IS NULL OR {_local_day('decided_at')} >= $1){scope}"
    )
    yellow = f"yellow_on IS NOT NULL AND yellow_on < {yellow_end}"
    red = f"{after} < {done}"
    if _sqlite():
        parts = [
            f"SELECT department_code, 'ys' AS kind, yellow_on AS day FROM applications "
            f"WHERE {where} AND {yellow}",
            f"SELECT department_code, 'ye', {yellow_end} FROM applications WHERE {where} AND {yellow}",
            f"SELECT department_code, 'rs', {after} FROM applications WHERE {where} AND {red}",
            f"SELECT department_code, 're', {done} FROM applications WHERE {where} AND {red}",
        ]
        events = " UNION ALL ".join(parts)
    else:  # one scan: each case's four events side by side, unpivoted
        events = (
            "SELECT a.department_code, e.kind, e.day FROM ("
            f"SELECT department_code, yellow_on, {yellow_end} AS yellow_end, {after} AS red_start, "
            f"{done} AS done, ({yellow}) AS is_yellow, ({red}) AS is_red FROM applications WHERE {where}"
            ") AS a CROSS JOIN LATERAL (VALUES ('ys', a.yellow_on, a.is_yellow), "
            "('ye', a.yellow_end, a.is_yellow), ('rs', a.red_start, a.is_red), ('re', a.done, a.is_red)) "
            "AS e(kind, day, happens) WHERE e.happens"
        )
    sql = (
        f"SELECT department_code, kind, {_bucket('day', bucket)} AS period, COUNT(*) AS n "
        f"FROM ({events}) AS ev WHERE day <= $2 GROUP BY 1, 2, 3"
    )
    return await _run(sql, start, end, *extra)
