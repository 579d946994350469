"""Counters changed in one statement, and transactions that are retried when PostgreSQL breaks a deadlock.

The booking paths take their locks in one order (slot row → appointment row → quota rows), so a
deadlock should not happen; if PostgreSQL still picks a victim (40P01) or refuses to serialise
(40001), the whole transaction is run again instead of answering 500.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from tortoise import connections

from citizen_api import db

T = TypeVar("T")
RETRYABLE_SQLSTATES = {"40P01", "40001"}
_PLACEHOLDER = re.compile(r"\$\d+")


async def run_atomic(work: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    for attempt in range(attempts):
        try:
            async with db.atomic():
                return await work()
        except Exception as exc:
            if attempt == attempts - 1 or not _retryable(exc):
                raise
            await asyncio.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _retryable(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        current = current.__cause__ or current.__context__
    return False


async def fetch(sql: str, *args: Any) -> list[dict]:
    """Run SQL written with $1 … placeholders on the current connection (or transaction)."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        sql = _PLACEHOLDER.sub("?", sql)  # every statement here uses its arguments in order
        args = tuple(a.isoformat() if isinstance(a, date) else a for a in args)
    return await conn.execute_query_dict(sql, list(args))


async def take_weekly_quota(user_id: int, week: date, limit: int) -> bool:
    """Count one more booking in ``week`` unless the citizen already has ``limit``; atomic."""
    rows = await fetch(
        "INSERT INTO appt_weekly_quotas (user_id, week, booked) VALUES ($1, $2, 1) "
        "ON CONFLICT (user_id, week) DO UPDATE SET booked = appt_weekly_quotas.booked + 1 "
        "WHERE appt_weekly_quotas.booked < $3 RETURNING booked",
        user_id,
        week,
        limit,
    )
    return bool(rows)


async def release_weekly_quota(user_id: int, week: date) -> None:
    await fetch(
        "UPDATE appt_weekly_quotas SET booked = booked - 1 WHERE user_id = $1 AND week = $2 AND booked > 0 "
        "RETURNING booked",
        user_id,
        week,
    )


async def next_queue_value(group_id: int, day: date, kind: str) -> int:
    """The next queue sequence of a group's day; unique under concurrency (row lock of the upsert)."""
    rows = await fetch(
        "INSERT INTO appt_queue_counters (group_id, date, kind, value) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (group_id, date, kind) DO UPDATE SET value = appt_queue_counters.value + 1 "
        "RETURNING value",
        group_id,
        day,
        kind,
    )
    return int(rows[0]["value"])


async def take_slot_place(slot_id: int) -> int | None:
    """The conditional UPDATE that gives a place: the new booked count, or None when the slot is full."""
    rows = await fetch(
        "UPDATE appt_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity RETURNING booked",
        slot_id,
    )
    return int(rows[0]["booked"]) if rows else None


async def release_slot_place(slot_id: int) -> None:
    await fetch(
        "UPDATE appt_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0 RETURNING booked", slot_id
    )


async def lock_slot(slot_id: int) -> None:
    """Hold the slot's row lock until commit (SQLite already runs one writing transaction at a time)."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "sqlite":
        await fetch("SELECT id FROM appt_slots WHERE id = $1 FOR UPDATE", slot_id)
