"""Every 好差评 query."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.exceptions import IntegrityError

from citizen_api import db
from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.ratings import models as m
from citizen_api.ratings.models import Appeal, Rating, Rectification, RectificationNote


async def own_application(application_id: int, user_id: int) -> Application | None:
    return await Application.get_or_none(id=application_id, applicant_id=user_id)


async def case_rating(application_id: int) -> Rating | None:
    return await Rating.get_or_none(application_id=application_id)


async def insert_rating(**values) -> Rating | None:
    """The new rating, or None when the case or visit already has one (the unique key says so)."""
    try:
        async with db.atomic():  # a savepoint: the caller's transaction survives the conflict
            return await Rating.create(**values)
    except IntegrityError:
        return None


async def add_case_timeline(
    application_id: int, status: str, note: str, actor_id: int | None, actor_role: str
) -> None:
    await TimelineEntry.create(
        application_id=application_id,
        actor_id=actor_id,
        actor_role=actor_role,
        kind="rating",
        to_status=status,
        note=note,
    )


async def create_rectification(
    rating: Rating, visit_due: date, rectify_due: date, uncertain: bool
) -> Rectification:
    rectification = await Rectification.create(
        rating_id=rating.id,
        department_code=rating.department_code,
        status=m.OPEN,
        visit_due=visit_due,
        rectify_due=rectify_due,
        calendar_uncertain=uncertain,
    )
    await add_note(rectification.id, None, "system", "", m.OPEN, "差评自动转办责任部门")
    return rectification


async def add_note(
    rectification_id: int, actor_id: int | None, actor_role: str, from_status: str, to_status: str, note: str
) -> None:
    await RectificationNote.create(
        rectification_id=rectification_id,
        actor_id=actor_id,
        actor_role=actor_role,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


async def move_rectification(rectification_id: int, sources: tuple[str, ...], **values) -> bool:
    """A conditional UPDATE: only from one of ``sources`` (two clerks at once: the second gets 409)."""
    changed = await Rectification.filter(id=rectification_id, status__in=list(sources)).update(**values)
    return changed == 1


async def rectifications_of(rating_ids: list[int]) -> dict[int, Rectification]:
    if not rating_ids:
        return {}
    return {r.rating_id: r for r in await Rectification.filter(rating_id__in=rating_ids)}


async def notes_of(rectification_id: int) -> list[RectificationNote]:
    return await RectificationNote.filter(rectification_id=rectification_id).order_by("id")


async def appeals_of(rating_id: int) -> list[Appeal]:
    return await Appeal.filter(rating_id=rating_id).order_by("id")


async def case_numbers(application_ids: list[int]) -> dict[int, str]:
    if not application_ids:
        return {}
    rows = await Application.filter(id__in=application_ids).values_list("id", "number")
    return dict(rows)


async def unrated_done_cases(before: datetime, statuses: tuple[str, ...], limit: int) -> list[Application]:
    """Decided before ``before``, never rated (the automatic 基本满意 job)."""
    return (
        await Application.filter(status__in=list(statuses), decided_at__lt=before, rating__id__isnull=True)
        .order_by("decided_at", "id")
        .limit(limit)
    )
