"""Every complaint query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from citizen_api import db
from citizen_api.cases.models import Application
from citizen_api.complaints import models as m
from citizen_api.complaints.models import Complaint
from citizen_api.security.principal import STAFF_ROLES
from citizen_api.users.models import User


async def own_application(application_id: int, user_id: int) -> Application | None:
    return await Application.get_or_none(id=application_id, applicant_id=user_id)


async def staff_id_by_username(username: str) -> int | None:
    return (
        await User.filter(username=username, role__in=list(STAFF_ROLES)).first().values_list("id", flat=True)
    )


async def open_about(application_id: int) -> Complaint | None:
    return await Complaint.filter(open_key=str(application_id), status=m.OPEN).first()


async def create(**values: Any) -> Complaint | None:
    """The new complaint, or None when the case already has an open one (the unique open key)."""
    application_id = values.get("application_id")
    try:
        async with db.atomic():  # savepoint: a racing twin loses without breaking the request
            return await Complaint.create(open_key=str(application_id) if application_id else None, **values)
    except IntegrityError:
        return None


async def numbers(application_ids: list[int]) -> dict[int, str]:
    if not application_ids:
        return {}
    return dict(await Application.filter(id__in=application_ids).values_list("id", "number"))


def of_user(user_id: int):
    return Complaint.filter(user_id=user_id)


def for_staff(status: str | None, department: str | None):
    query = Complaint.all()
    if status:
        query = query.filter(status=status)
    if department:
        query = query.filter(department_code=department)
    return query


async def get(complaint_id: int) -> Complaint | None:
    return await Complaint.get_or_none(id=complaint_id)


async def mark_replied(complaint_id: int, text: str, replied_by: int, now: datetime) -> bool:
    """open → replied as one conditional UPDATE (a racing second reply finds nothing to do)."""
    answered = await Complaint.filter(id=complaint_id, status=m.OPEN).update(
        status=m.REPLIED, open_key=None, reply=text, replied_by=replied_by, replied_at=now
    )
    return answered == 1
