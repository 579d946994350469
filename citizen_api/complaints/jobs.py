"""Complaints past their reply deadline: the supervisors are told once."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from citizen_api import clock
from citizen_api.complaints import models as m
from citizen_api.complaints.models import Complaint
from citizen_api.delivery import notify


async def run_complaint_jobs(now: datetime) -> int:
    today = clock.to_local(now).date()
    acted = 0
    for complaint in await Complaint.filter(status=m.OPEN, due_on__lt=today).order_by("due_on").limit(500):
        async with in_transaction():
            acted += bool(
                await notify.tell_supervisors(
                    "complaint.overdue",
                    {
                        "complaint_id": complaint.id,
                        "due_on": complaint.due_on.isoformat(),
                        "department": complaint.department_code,
                    },
                    dedupe_key=f"complaint.overdue:{complaint.id}",
                )
            )
    return acted
