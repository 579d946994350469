"""Every complaint query."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.complaints import transitions as t
from citizen_api.complaints.models import Complaint


async def open_about(application_id: int) -> Complaint | None:
    return await Complaint.filter(open_key=str(application_id), status=t.OPEN).first()


async def open_about_any(application_ids: list[int]) -> set[int]:
    """The cases among ``application_ids`` with a complaint waiting for its answer."""
    if not application_ids:
        return set()
    keys = [str(i) for i in application_ids]
    rows = await Complaint.filter(open_key__in=keys, status=t.OPEN).values_list("application_id", flat=True)
    return set(rows)


async def counts_about(application_ids: list[int]) -> dict[int, int]:
    """case id → how many complaints were filed about it (answered or not)."""
    counts: dict[int, int] = {}
    for start in range(0, len(application_ids), 500):
        chunk = application_ids[start : start + 500]
        for case_id in await Complaint.filter(application_id__in=chunk).values_list(
            "application_id", flat=True
        ):
            counts[case_id] = counts.get(case_id, 0) + 1
    return counts


async def create(**values: Any) -> Complaint | None:
    """The new complaint, or None when the case already has an open one (the unique open key)."""
    application_id = values.get("application_id")
    try:
        async with db.atomic():  # savepoint: a racing twin loses without breaking the request
            return await Complaint.create(
                status=t.INITIAL,
                open_key=str(application_id) if application_id else None,
                **{"created_at": clock.now(), **values},  # the service clock, as its reply deadline
            )
    except IntegrityError:
        return None


async def page_of_user(user_id: int, offset: int, limit: int) -> tuple[int, list[Complaint]]:
    query = Complaint.filter(user_id=user_id)
    return await query.count(), await query.order_by("-id").offset(offset).limit(limit)


async def page_for_staff(
    status: str | None, department: str | None, offset: int, limit: int
) -> tuple[int, list[Complaint]]:
    """By reply deadline, the most urgent first."""
    query = Complaint.all()
    if status:
        query = query.filter(status=status)
    if department:
        query = query.filter(department_code=department)
    return await query.count(), await query.order_by("due_on", "id").offset(offset).limit(limit)


async def get(complaint_id: int) -> Complaint | None:
    return await Complaint.get_or_none(id=complaint_id)


async def move(complaint_id: int, source: str, to: str, **values: Any) -> bool:
    """``source`` → ``to`` as one conditional UPDATE (a racing second answer finds nothing to do)."""
    changed = await Complaint.filter(id=complaint_id, status=source).update(status=to, **values)
    return changed == 1


async def overdue_page(today: date, after_id: int, limit: int) -> list[Complaint]:
    """Open complaints past their deadline, by id after ``after_id`` (keyset pages)."""
    return (
        await Complaint.filter(status=t.OPEN, due_on__lt=today, id__gt=after_id).order_by("id").limit(limit)
    )
