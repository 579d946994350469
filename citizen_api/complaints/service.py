"""投诉: filed by a citizen, routed to the supervisors with a deadline, answered to the citizen.

The staff member the citizen first asked (首问负责) is recorded as the citizen names them, and linked
to the account when the name is a staff username. A case has at most one open complaint at a time
(409 COMPLAINT_OPEN with its id, until a supervisor answers it); each citizen's filings are also
throttled per window (``complaint_rate_limit`` per ``complaint_rate_window_seconds``, see routes).
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.complaints import models as m
from citizen_api.complaints import repository as repo
from citizen_api.complaints.models import Complaint
from citizen_api.complaints.schemas import ComplaintIn, ComplaintView, StaffComplaintView
from citizen_api.delivery import notify
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.workdays.service import add_working_days
from notifications import outbox


async def file(principal: Principal, body: ComplaintIn, settings) -> ComplaintView:
    application = None
    if body.application_id is not None:
        application = await repo.own_application(body.application_id, principal.user_id)
        if application is None:
            raise ApiError(404, "NOT_FOUND", "未找到该办件")
        if (pending := await repo.open_about(application.id)) is not None:
            raise _already_open(pending.id)
    first = (body.first_contact_staff or "").strip()
    staff_id = await repo.staff_id_by_username(first) if first else None
    due = await add_working_days(clock.today(), settings.complaint_reply_days)
    complaint = await repo.create(
        user_id=principal.user_id,
        application_id=application.id if application else None,
        department_code=application.department_code if application else None,
        content=body.content,
        first_contact_text=first,
        first_contact_staff_id=staff_id,
        due_on=due.date,
        calendar_uncertain=due.uncertain,
    )
    if complaint is None:  # a twin filed at the same moment won the open key
        pending = await repo.open_about(application.id) if application else None
        raise _already_open(pending.id if pending else None)
    await notify.tell_supervisors(
        "complaint.filed",
        {
            "complaint_id": complaint.id,
            "number": application.number if application else None,
            "department": complaint.department_code,
            "due_on": due.date.isoformat(),
            "content": body.content[:200],
        },
        dedupe_key=f"complaint.filed:{complaint.id}",
    )
    return view(complaint, application.number if application else None)


def _already_open(complaint_id: int | None) -> ApiError:
    return ApiError(
        409,
        "COMPLAINT_OPEN",
        "您对该办件的投诉正在处理中，请等待答复后再投诉",
        {"complaint_id": complaint_id},
    )


def view(complaint: Complaint, number: str | None) -> ComplaintView:
    return ComplaintView(
        id=complaint.id,
        application_id=complaint.application_id,
        application_number=number,
        department_code=complaint.department_code,
        content=complaint.content,
        first_contact_staff=complaint.first_contact_text,
        status=complaint.status,
        due_on=complaint.due_on,
        reply=complaint.reply,
        replied_at=complaint.replied_at,
        created_at=complaint.created_at,
    )


def staff_view(complaint: Complaint, number: str | None) -> StaffComplaintView:
    return StaffComplaintView(
        **view(complaint, number).model_dump(),
        first_contact_staff_id=complaint.first_contact_staff_id,
        overdue=complaint.status == m.OPEN and clock.today() > complaint.due_on,
    )


async def _numbers(rows: list[Complaint]) -> dict[int, str]:
    return await repo.numbers([c.application_id for c in rows if c.application_id])


async def mine(principal: Principal, offset: int, limit: int) -> tuple[int, list[ComplaintView]]:
    query = repo.of_user(principal.user_id)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(limit)
    numbers = await _numbers(rows)
    return total, [view(c, numbers.get(c.application_id or 0)) for c in rows]


async def for_staff(
    status: str | None, department: str | None, offset: int, limit: int
) -> tuple[int, list[StaffComplaintView]]:
    query = repo.for_staff(status, department)
    total = await query.count()
    rows = await query.order_by("due_on", "id").offset(offset).limit(limit)
    numbers = await _numbers(rows)
    return total, [staff_view(c, numbers.get(c.application_id or 0)) for c in rows]


async def reply(principal: Principal, complaint_id: int, text: str) -> StaffComplaintView:
    complaint = await repo.get(complaint_id)
    if complaint is None:
        raise ApiError(404, "NOT_FOUND", "未找到该投诉")
    if not await repo.mark_replied(complaint.id, text, principal.user_id, clock.now()):
        raise ApiError(409, "ALREADY_REPLIED", "该投诉已答复")
    complaint = await repo.get(complaint.id)
    number = (await _numbers([complaint])).get(complaint.application_id or 0)
    await outbox.enqueue(
        complaint.user_id,
        "complaint.replied",
        {"complaint_id": complaint.id, "number": number, "reply": text[:200]},
        dedupe_key=f"complaint.replied:{complaint.id}",
    )
    return staff_view(complaint, number)
