"""Reminder rows for the outbox: the evening before and one hour before an appointment.

A periodic job (registered in ``citizen_api.domains``), also ``onetrip appointments remind``.
Idempotent: every row carries a dedupe key (``reminder:day:<id>``, ``reminder:hour:<id>``), so
running twice, or in two workers at once, writes each reminder once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import BOOKED, Appointment
from citizen_api.appointments.present import message_payload
from citizen_api.jobs import JobContext
from citizen_api.settings import Settings
from notifications import outbox
from notifications.models import Notification

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
        tomorrow = local.date() + timedelta(days=1)
        written += await _remind(Appointment.filter(status=BOOKED, date=tomorrow), "day")
    ahead = timedelta(minutes=settings.reminder_hour_before_minutes)
    soon = Appointment.filter(status=BOOKED, starts_at__gt=now, starts_at__lte=now + ahead)
    written += await _remind(soon, "hour")
    return written


async def _remind(query, kind: str) -> int:
    event = f"appointment.reminder_{kind}"
    written = 0
    last_id = 0
    while True:
        batch = (
            await query.filter(id__gt=last_id)
            .select_related("slot__group__office", "item")
            .order_by("id")
            .limit(CHUNK)
        )
        if not batch:
            return written
        last_id = batch[-1].id
        keys = {a.id: f"reminder:{kind}:{a.id}" for a in batch}
        done = set(
            await Notification.filter(dedupe_key__in=list(keys.values())).values_list("dedupe_key", flat=True)
        )
        for appointment in batch:
            if keys[appointment.id] in done:
                continue
            payload = message_payload(appointment, appointment.slot, appointment.item.name)
            await outbox.enqueue(appointment.user_id, event, payload, dedupe_key=keys[appointment.id])
            written += 1
