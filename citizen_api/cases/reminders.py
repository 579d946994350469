"""The reminder before a 补正 (or 容缺) due date: one message to the citizen, once per due date.

``run_supplement_reminders(ctx)`` is a periodic job (registered in ``citizen_api.domains``).
A case is reminded on ``missing_remind_on`` (``supplement_reminder_working_days`` working days before
``missing_due``, computed with the due date), from ``supplement_reminder_hour`` local time on, while
the due date has not passed and materials are still owed. Each reminder is claimed with a
conditional UPDATE (``missing_reminded``) and written with an outbox dedupe key, so overlapping runs,
a re-run after a crash or two processes send it once. A new due date (a new 补正 request) resets it.

When the due date passes without the materials, nothing is sent any more; the staff list and detail
show the case as ``missing_overdue`` (``GET /staff/applications?missing_overdue=true``) and the
department decides (不予受理, or accept what was given).
"""

from __future__ import annotations

from datetime import UTC, timedelta

import structlog

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.transitions import STATUS_TEXT
from citizen_api.catalog import service as catalog
from citizen_api.jobs import JobContext
from notifications import outbox

log = structlog.get_logger("onetrip.cases.reminders")

BATCH = 500
EVENT = "case.supplement_due"


async def run_supplement_reminders(ctx: JobContext) -> int:
    """One pass; returns how many reminders it wrote."""
    settings = ctx.settings
    local = clock.to_local(ctx.now.astimezone(UTC))
    today = local.date()
    # before the hour, today's reminders wait (yesterday's, if a run was missed, go now)
    remind_day = today if local.hour >= settings.supplement_reminder_hour else today - timedelta(days=1)
    sent = 0
    while True:
        async with ctx.atomic():
            batch = await repo.due_reminders(remind_day, today, BATCH)
            for case in batch:
                sent += await _remind(case)
        if len(batch) < BATCH:
            break
    if sent:
        log.info("supplement reminders", sent=sent, day=today.isoformat())
    return sent


async def _remind(case: Application) -> int:
    if not await repo.mark_reminded(case):
        return 0  # another run took it, or a new due date came meanwhile
    owed = await catalog.materials_by_id(case.missing or [])
    names = "、".join(m.name for m in sorted(owed.values(), key=lambda m: (m.position, m.id)))
    due = case.missing_due.isoformat()
    await outbox.enqueue(
        case.applicant_id,
        EVENT,
        {
            "number": case.number,
            "item_name": case.item_name,
            "status": case.status,
            "status_text": STATUS_TEXT.get(case.status, case.status),
            "missing_due": due,
            "note": names,
            "missing": [m.name for m in owed.values()],
        },
        audience="citizen",
        dedupe_key=f"{EVENT}:{case.id}:{due}",
    )
    return 1
