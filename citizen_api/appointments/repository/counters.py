"""Counters changed in one statement, so that no place, quota or queue number is given twice.

The booking paths take their locks in one order (slot row → appointment row → quota rows); see
``booking``. Raw SQL because each is one ``UPDATE … WHERE`` / ``INSERT … ON CONFLICT`` that returns
the new value, which the ORM cannot express in one round trip.
"""

from __future__ import annotations

from datetime import date

from tortoise import connections

from citizen_api.appointments.repository.sql import run


async def take_weekly_quota(person: str, user_id: int, week: date, limit: int) -> bool:
    """Count one more booking of ``person`` in ``week`` unless they already have ``limit``; atomic."""
    rows = await run(
        "INSERT INTO appt_weekly_quotas (person, user_id, week, booked) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (person, week) DO UPDATE SET booked = appt_weekly_quotas.booked + 1 "
        "WHERE appt_weekly_quotas.booked < $4 RETURNING booked",
        person,
        user_id,
        week,
        limit,
    )
    return bool(rows)


async def release_weekly_quota(person: str, week: date) -> None:
    await run(
        "UPDATE appt_weekly_quotas SET booked = booked - 1 WHERE person = $1 AND week = $2 AND booked > 0 "
        "RETURNING booked",
        person,
        week,
    )


async def next_queue_value(group_id: int, day: date, kind: str) -> int:
    """The next queue sequence of a group's day; unique under concurrency (row lock of the upsert)."""
    rows = await run(
        "INSERT INTO appt_queue_counters (group_id, date, kind, value) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (group_id, date, kind) DO UPDATE SET value = appt_queue_counters.value + 1 "
        "RETURNING value",
        group_id,
        day,
        kind,
    )
    return int(rows[0]["value"])


async def take_slot_place(slot_id: int, reserved_percent: int = 0) -> int | None:
    """The conditional UPDATE that gives a place: the new booked count, or None when the slot is full.

    ``reserved_percent`` of the capacity (rounded down) stays for staff booking for a citizen (代约):
    citizens pass the setting, staff pass 0 and may take every place."""
    rows = await run(
        "UPDATE appt_slots SET booked = booked + 1 "
        "WHERE id = $1 AND booked < capacity - (capacity * $2) / 100 RETURNING booked",
        slot_id,
        reserved_percent,
    )
    return int(rows[0]["booked"]) if rows else None


async def release_slot_place(slot_id: int) -> None:
    await run(
        "UPDATE appt_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0 RETURNING booked", slot_id
    )


async def lock_slot(slot_id: int) -> None:
    """Hold the slot's row lock until commit (SQLite already runs one writing transaction at a time)."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "sqlite":
        await run("SELECT id FROM appt_slots WHERE id = $1 FOR UPDATE", slot_id)
