"""Readable, unique case numbers: department prefix + date + sequence, e.g. GA20261123000042.

The sequence is one atomic upsert per number (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) on a
counter row per department and day: concurrent submissions queue on that row instead of reading
``max()+1`` and colliding. The row stays locked until the submitting transaction ends, so a
rolled-back submission does not leave a gap either.
"""

from __future__ import annotations

import re
from datetime import date

from tortoise import connections

_UPSERT = (
    "INSERT INTO case_number_counters (prefix, day, value) VALUES ({p1}, {p2}, 1) "
    "ON CONFLICT (prefix, day) DO UPDATE SET value = case_number_counters.value + 1 "
    "RETURNING value"
)
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def prefix_for(department_code: str) -> str:
    return _NOT_ALNUM.sub("", department_code.upper())[:12] or "XX"


async def next_number(department_code: str, day: date) -> str:
    prefix = prefix_for(department_code)
    stamp = day.strftime("%Y%m%d")
    conn = connections.get("default")
    dialect = getattr(conn.capabilities, "dialect", "")
    placeholders = ("$1", "$2") if dialect == "postgres" else ("?", "?")
    # execute_query_dict fetches rows (execute_query discards them for INSERT on asyncpg)
    rows = await conn.execute_query_dict(
        _UPSERT.format(p1=placeholders[0], p2=placeholders[1]), [prefix, stamp]
    )
    sequence = rows[0]["value"]
    return f"{prefix}{stamp}{sequence:06d}"
