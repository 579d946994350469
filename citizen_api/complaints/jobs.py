"""Complaints past their reply deadline: the supervisors are told once (the outbox dedupe key says so)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.complaints import notify
from citizen_api.complaints import repository as repo
from citizen_api.complaints.models import Complaint
from citizen_api.jobs import JobContext
from notifications import outbox

BATCH = 500


async def run_complaint_jobs(ctx: JobContext) -> int:
    """One pass over every open complaint past its deadline; returns how many were newly reported."""
    today = clock.to_local(ctx.now).date()
    acted = 0
    last_id = 0
    while True:
        # keyset pages by id: every overdue complaint is seen, however many there are
        page = await repo.overdue_page(today, last_id, BATCH)
        for complaint in page:
            async with ctx.atomic():
                acted += bool(await _report(complaint))
        if len(page) < BATCH:
            return acted
        last_id = page[-1].id


async def _report(complaint: Complaint) -> int:
    """Outbox rows written (0 when this complaint was reported before)."""
    key = f"complaint.overdue:{complaint.id}"
    if await outbox.dedupe_prefix_written(f"{key}:"):
        return 0
    return await notify.tell_supervisors(
        "complaint.overdue",
        {
            "complaint_id": complaint.id,
            "due_on": complaint.due_on.isoformat(),
            "department": complaint.department_code,
        },
        dedupe_key=key,
    )
