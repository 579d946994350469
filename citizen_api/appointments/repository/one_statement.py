"""A citizen's booking as one PostgreSQL statement, run on its own (autocommit).

Why: in a release rush every attempt at a slot queues on the slot's row lock. Taken by the UPDATE
of a Python transaction, it was held until the COMMIT came back through an event loop busy with a
thousand other requests — about 5 ms a place, so the 100th place of a rush came after ~0.5 s of
bookings one behind the other (bench/booking.py). In one statement PostgreSQL holds it for the
statement and its commit only, and a winner needs one round trip instead of six.

All or nothing: each part takes its rows from the one before (no place → no quota → no appointment
→ no message), and when a part finds nothing after an earlier one wrote, the final SELECT calls
``onetrip_refuse`` (migration ``0101``), whose error rolls the whole statement back. SQLite keeps
the transaction of ``booking.give_place`` (it runs one writing transaction at a time anyway).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from tortoise import connections
from tortoise.exceptions import IntegrityError

from citizen_api.appointments.codes import new_check_in_code
from citizen_api.appointments.models import Appointment, Slot
from citizen_api.appointments.repository.bookings import active_key
from citizen_api.appointments.transitions import BOOKED
from notifications import outbox

REFUSALS = ("LIMIT_REACHED", "ALREADY_BOOKED")

_BOOK = """
WITH place AS (
  UPDATE appt_slots SET booked = booked + 1
  WHERE id = $1 AND booked < capacity - (capacity * $2) / 100 RETURNING booked
), quota AS (
  INSERT INTO appt_weekly_quotas (person, user_id, week, booked)
  SELECT $3, $4, $5, 1 FROM place
  ON CONFLICT (person, week) DO UPDATE SET booked = appt_weekly_quotas.booked + 1
  WHERE appt_weekly_quotas.booked < $6 RETURNING booked
), appt AS (
  INSERT INTO appt_appointments
    (user_id, item_id, slot_id, date, starts_at, status, active_key, source, check_in_code, created_at,
     filed_by)
  SELECT $4, $7, $1, $8, $9, $10, $11, $12, $13, $14, 'self' FROM quota
  ON CONFLICT (active_key) DO NOTHING RETURNING id
), message AS (
  {message}
)
SELECT (SELECT booked FROM place) AS booked, (SELECT id FROM appt) AS appointment_id,
  CASE WHEN NOT EXISTS (SELECT 1 FROM place) THEN 'SLOT_FULL'
       WHEN NOT EXISTS (SELECT 1 FROM quota) THEN onetrip_refuse('LIMIT_REACHED')
       WHEN NOT EXISTS (SELECT 1 FROM appt) THEN onetrip_refuse('ALREADY_BOOKED')
       WHEN NOT EXISTS (SELECT 1 FROM message) THEN onetrip_refuse('NO_MESSAGE')
       ELSE 'BOOKED' END AS outcome
"""
_STATEMENT = _BOOK.format(
    message=outbox.insert_select(
        source="appt",
        user="$4",
        event="'appointment.booked'",
        payload="$15::jsonb || jsonb_build_object('appointment_id', appt.id)",
        now="$14",
    )
)


@dataclass(slots=True)
class Outcome:
    """``appointment`` and the slot's new ``booked`` when a place was given; else ``refused`` is
    ``SLOT_FULL``, ``LIMIT_REACHED`` or ``ALREADY_BOOKED``."""

    appointment: Appointment | None = None
    booked: int = 0
    refused: str = ""


def available() -> bool:
    """Whether the database books in one statement (PostgreSQL)."""
    return connections.get("default").capabilities.dialect == "postgres"


async def book(
    *,
    user_id: int,
    person: str,
    item_id: int,
    slot: Slot,
    week: date,
    weekly_limit: int,
    reserved_percent: int,
    source: str,
    now: datetime,
    payload: dict,
) -> Outcome:
    """Give ``person`` a place of ``slot`` (outside any transaction: the statement is its own)."""
    code = new_check_in_code()
    key = active_key(person, item_id, slot.date)
    args = [
        slot.id, reserved_percent, person, user_id, week, weekly_limit, item_id, slot.date,
        slot.starts_at, BOOKED, key, source, code, now, json.dumps(payload, ensure_ascii=False),
    ]  # fmt: skip
    conn = connections.get("default")
    try:
        rows = await conn.execute_query_dict(_STATEMENT, args)
    except IntegrityError:
        return Outcome(refused="ALREADY_BOOKED")  # a check-in code drawn twice: as the transaction does
    except Exception as exc:
        refused = _refusal(exc)
        if refused is None:
            raise
        return Outcome(refused=refused)
    row = rows[0]
    if row["outcome"] != "BOOKED":
        return Outcome(refused="SLOT_FULL")
    appointment = Appointment(
        id=row["appointment_id"], user_id=user_id, item_id=item_id, slot_id=slot.id, date=slot.date,
        starts_at=slot.starts_at, status=BOOKED, active_key=key, source=source, check_in_code=code,
        created_at=now, filed_by="self",
    )  # fmt: skip
    appointment._saved_in_db = True
    return Outcome(appointment=appointment, booked=int(row["booked"]))


def _refusal(exc: BaseException) -> str | None:
    """The refusal ``onetrip_refuse`` raised, found in the chain Tortoise wraps it in."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) == "P0001":
            message = str(getattr(current, "message", "") or current)
            return next((code for code in REFUSALS if code in message), None)
        current = current.__cause__ or current.__context__
    return None
