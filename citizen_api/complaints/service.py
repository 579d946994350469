"""投诉: filed by a citizen, routed to the supervisors with a deadline, answered to the citizen.

The staff member the citizen first asked (首问负责) is recorded as the citizen names them, and linked
to the account when the name is a staff username.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.complaints import models as m
from citizen_api.complaints.models import Complaint
from citizen_api.complaints.schemas import ComplaintIn, ComplaintView, StaffComplaintView
from citizen_api.delivery import notify
from citizen_api.errors import ApiError
from citizen_api.security.principal import STAFF_ROLES, Principal
from citizen_api.users.models import User
from citizen_api.workdays.service import add_working_days
from notifications import outbox


async def file(principal: Principal, body: ComplaintIn, settings) -> ComplaintView:
    application = None
    if body.application_id is not None:
        application = await Application.get_or_none(id=body.application_id, applicant_id=principal.user_id)
        if application is None:
            raise ApiError(404, "NOT_FOUND", "未找到该办件")
    first = (body.first_contact_staff or "").strip()
    staff_id = None
    if first:
        staff_id = (
            await User.filter(username=first, role__in=list(STAFF_ROLES)).first().values_list("id", flat=True)
        )
    due = await add_working_days(clock.today(), settings.complaint_reply_days)
    complaint = await Complaint.create(
        user_id=principal.user_id,
        application_id=application.id if application else None,
        department_code=application.department_code if application else None,
        content=body.content,
        first_contact_text=first,
        first_contact_staff_id=staff_id,
        due_on=due.date,
        calendar_uncertain=due.uncertain,
    )
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
    ids = [c.application_id for c in rows if c.application_id]
    return dict(await Application.filter(id__in=ids).values_list("id", "number")) if ids else {}


async def mine(principal: Principal, offset: int, limit: int) -> tuple[int, list[ComplaintView]]:
    query = Complaint.filter(user_id=principal.user_id)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(limit)
    numbers = await _numbers(rows)
    return total, [view(c, numbers.get(c.application_id or 0)) for c in rows]


async def for_staff(
    status: str | None, department: str | None, offset: int, limit: int
) -> tuple[int, list[StaffComplaintView]]:
    query = Complaint.all()
    if status:
        query = query.filter(status=status)
    if department:
        query = query.filter(department_code=department)
    total = await query.count()
    rows = await query.order_by("due_on", "id").offset(offset).limit(limit)
    numbers = await _numbers(rows)
    return total, [staff_view(c, numbers.get(c.application_id or 0)) for c in rows]


async def reply(principal: Principal, complaint_id: int, text: str) -> StaffComplaintView:
    complaint = await Complaint.get_or_none(id=complaint_id)
    if complaint is None:
        raise ApiError(404, "NOT_FOUND", "未找到该投诉")
    now = clock.now()
    answered = await Complaint.filter(id=complaint.id, status=m.OPEN).update(
        status=m.REPLIED, reply=text, replied_by=principal.user_id, replied_at=now
    )
    if not answered:
        raise ApiError(409, "ALREADY_REPLIED", "该投诉已答复")
    complaint = await Complaint.get(id=complaint.id)
    number = (await _numbers([complaint])).get(complaint.application_id or 0)
    await outbox.enqueue(
        complaint.user_id,
        "complaint.replied",
        {"complaint_id": complaint.id, "number": number, "reply": text[:200]},
        dedupe_key=f"complaint.replied:{complaint.id}",
    )
    return staff_view(complaint, number)
