"""Reminder rows for the outbox: the evening before and one hour before an appointment.

A periodic job (registered in ``citizen_api.domains``), also ``onetrip appointments remind``.
Idempotent: every row carries a dedupe key (``reminder:day:<id>``, ``reminder:hour:<id>``), so
running twice, or in two workers at once, writes each reminder once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.views import message_payload
from citizen_api.jobs import JobContext
from citizen_api.settings import Settings
from notifications import outbox

CHUNK = 500


async def run_reminders(ctx: JobContext) -> int:
    """Periodic job: the reminders due at ``ctx.now``."""
    return await write_reminders(ctx.now, ctx.settings)


async def write_reminders(now: datetime, settings: Settings) -> int:
    """Write the reminders due at ``now``; returns how many new rows were written."""
    # UTC: SQLite compares stored times as text, so a +08:00 bound would compare wrongly
    now = now.astimezone(UTC)
    local = clock.to_local(now)
    written = 0
    if local.hour >= settings.reminder_day_before_hour:
        written += await _remind("day", on=local.date() + timedelta(days=1))
    ahead = timedelta(minutes=settings.reminder_hour_before_minutes)
    written += await _remind("hour", starts_after=now, starts_until=now + ahead)
    return written


async def _remind(kind: str, **which) -> int:
    event = f"appointment.reminder_{kind}"
    written = 0
    last_id = 0
    while True:
        batch = await repo.booked_batch(last_id, CHUNK, **which)
        if not batch:
            return written
        last_id = batch[-1].id
        keys = {a.id: f"reminder:{kind}:{a.id}" for a in batch}
        done = await outbox.written_dedupe_keys(list(keys.values()))
        for appointment in batch:
            if keys[appointment.id] in done:
                continue
            payload = message_payload(appointment, appointment.slot, appointment.item.name)
            await outbox.enqueue(appointment.user_id, event, payload, dedupe_key=keys[appointment.id])
            written += 1
