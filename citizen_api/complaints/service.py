"""投诉: filed by a citizen, routed to the supervisors with a deadline, answered to the citizen.

The staff member the citizen first asked (首问负责) is recorded as the citizen names them, and linked
to the account when the name is a staff username. A case has at most one open complaint at a time
(409 COMPLAINT_OPEN with its id, until a supervisor answers it); each citizen's filings are also
throttled per window (``complaint_rate_limit`` per ``complaint_rate_window_seconds``, see routes).
The public API for other domains (a case offers ``complain``): :func:`open_complaint_cases`.
"""

from __future__ import annotations

from collections.abc import Iterable

from citizen_api import clock
from citizen_api.complaints import notify, ports, views
from citizen_api.complaints import repository as repo
from citizen_api.complaints import transitions as t
from citizen_api.complaints.models import Complaint
from citizen_api.complaints.schemas import ComplaintIn, ComplaintView, StaffComplaintView
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from citizen_api.workdays.service import add_working_days
from notifications import outbox


async def open_complaint_cases(case_ids: Iterable[int]) -> set[int]:
    """The ids among ``case_ids`` with a complaint still waiting for its answer."""
    return await repo.open_about_any(sorted(set(case_ids)))


async def complaint_facts(case_ids: Iterable[int]) -> dict[int, int]:
    """For 效能考评: case id → the complaints filed about it (whatever their answer)."""
    return await repo.counts_about(sorted(set(case_ids)))


async def file(principal: Principal, body: ComplaintIn, settings) -> ComplaintView:
    case = None
    if body.application_id is not None:
        case = await ports.cases().own_case(body.application_id, principal.user_id)
        if case is None:
            raise ApiError(404, "NOT_FOUND", "未找到该办件")
        if (pending := await repo.open_about(case.id)) is not None:
            raise _already_open(pending.id)
    first = (body.first_contact_staff or "").strip()
    staff_id = await users.staff_id_by_username(first) if first else None
    due = await add_working_days(clock.today(), settings.complaint_reply_days)
    complaint = await repo.create(
        user_id=principal.user_id,
        application_id=case.id if case else None,
        department_code=case.department_code if case else None,
        content=body.content,
        first_contact_text=first,
        first_contact_staff_id=staff_id,
        due_on=due.date,
        calendar_uncertain=due.uncertain,
    )
    if complaint is None:  # a twin filed at the same moment won the open key
        pending = await repo.open_about(case.id) if case else None
        raise _already_open(pending.id if pending else None)
    number = case.number if case else None
    await notify.tell_supervisors(
        "complaint.filed",
        {
            "complaint_id": complaint.id,
            "number": number,
            "department": complaint.department_code,
            "due_on": due.date.isoformat(),
            "content": body.content[:200],
        },
        dedupe_key=f"complaint.filed:{complaint.id}",
    )
    return views.complaint_view(complaint, number)


def _already_open(complaint_id: int | None) -> ApiError:
    return ApiError(
        409,
        "COMPLAINT_OPEN",
        "您对该办件的投诉正在处理中，请等待答复后再投诉",
        {"complaint_id": complaint_id},
    )


async def _numbers(rows: list[Complaint]) -> dict[int, str]:
    return await ports.cases().numbers([c.application_id for c in rows if c.application_id])


async def mine(principal: Principal, offset: int, limit: int) -> tuple[int, list[ComplaintView]]:
    total, rows = await repo.page_of_user(principal.user_id, offset, limit)
    numbers = await _numbers(rows)
    return total, [views.complaint_view(c, numbers.get(c.application_id or 0)) for c in rows]


async def for_staff(
    status: str | None, department: str | None, offset: int, limit: int
) -> tuple[int, list[StaffComplaintView]]:
    total, rows = await repo.page_for_staff(status, department, offset, limit)
    numbers = await _numbers(rows)
    today = clock.today()
    return total, [views.staff_view(c, numbers.get(c.application_id or 0), today) for c in rows]


async def reply(principal: Principal, complaint_id: int, text: str) -> StaffComplaintView:
    complaint = await repo.get(complaint_id)
    if complaint is None:
        raise ApiError(404, "NOT_FOUND", "未找到该投诉")
    to = t.target(complaint.status, "reply", principal.role)
    moved = to is not None and await repo.move(
        complaint.id,
        complaint.status,
        to,
        open_key=None,
        reply=text,
        replied_by=principal.user_id,
        replied_at=clock.now(),
    )
    if not moved:
        raise ApiError(409, "ALREADY_REPLIED", "该投诉已答复")
    complaint = await repo.get(complaint.id)
    number = (await _numbers([complaint])).get(complaint.application_id or 0)
    await outbox.enqueue(
        complaint.user_id,
        "complaint.replied",
        {"complaint_id": complaint.id, "number": number, "reply": text[:200]},
        dedupe_key=f"complaint.replied:{complaint.id}",
    )
    return views.staff_view(complaint, number, clock.today())


STAFF_ROLES = frozenset(t.roles_for("reply"))  # who answers complaints also reads (and exports) them
