"""Rating a case (一事一评) or a window visit (一次一评); only the citizen rates.

Services never commit. A bad rating (1 or 2) opens a rectification for the handling department in
the same transaction (see ``rectification.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from citizen_api import clock, db
from citizen_api.audit import service as audit
from citizen_api.cases.models import Application
from citizen_api.errors import ApiError
from citizen_api.ratings import models as m
from citizen_api.ratings import rectification
from citizen_api.ratings import repository as repo
from citizen_api.ratings.models import Rating, Rectification
from citizen_api.ratings.schemas import RatingIn, RatingView, RectificationView
from citizen_api.ratings.vocabulary import BAD_LEVELS, LEVELS, RECTIFICATION_VERDICTS
from citizen_api.security.principal import Principal

RATEABLE = ("approved", "rejected", "delivered")  # the case is done: its result exists


async def refuse_staff(
    principal: Principal, action: str, object_type: str, object_id: int, request_id: str
) -> None:
    """Staff may neither create nor change a rating: the attempt is audited (committed), then 403."""
    async with db.atomic():
        await audit.record(
            principal, action, object_type, object_id, {"refused": True}, request_id=request_id
        )
    raise ApiError(403, "FORBIDDEN", "评价只能由办事群众本人作出，工作人员不能代为评价或修改评价")


def done_at(application: Application) -> datetime:
    return application.decided_at or application.finished_at or application.submitted_at


def window_closes(service_at: datetime, settings) -> datetime:
    return service_at + timedelta(days=settings.rating_window_days)


async def rate_case(principal: Principal, application_id: int, body: RatingIn, settings) -> RatingView:
    application = await repo.own_application(application_id, principal.user_id)
    if application is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    if application.status not in RATEABLE:
        raise ApiError(409, "NOT_FINISHED", "办件尚未办结，办结后再来评价吧", {"status": application.status})
    if await repo.case_rating(application.id) is not None:
        raise ApiError(409, "ALREADY_RATED", "该办件已评价（一事一评）")
    service_at = done_at(application)
    if clock.now() > window_closes(service_at, settings):
        raise ApiError(
            409, "RATING_WINDOW_CLOSED", f"已超过评价期限（办结后 {settings.rating_window_days} 天）"
        )
    rating = await repo.insert_rating(
        kind=m.CASE,
        application_id=application.id,
        user_id=principal.user_id,
        department_code=application.department_code,
        level=body.level,
        tags=body.tags,
        comment=body.comment,
        service_at=service_at,
    )
    if rating is None:  # a twin request got there first
        raise ApiError(409, "ALREADY_RATED", "该办件已评价（一事一评）")
    await repo.add_case_timeline(
        application.id,
        application.status,
        f"群众评价：{LEVELS[body.level]}",
        principal.user_id,
        principal.role,
    )
    return await _after_rating(rating, settings)


async def rate_visit(principal: Principal, appointment_id: int, body: RatingIn, settings) -> RatingView:
    """一次一评: the citizen's own checked-in appointment, once."""
    from citizen_api.appointments.models import CHECKED_IN, Appointment  # owned by the appointments domain

    appointment = await Appointment.get_or_none(id=appointment_id, user_id=principal.user_id)
    if appointment is None:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    if appointment.status != CHECKED_IN or appointment.checked_in_at is None:
        raise ApiError(
            409, "NOT_FINISHED", "到窗口签到办理后才能评价本次服务", {"status": appointment.status}
        )
    if await Rating.exists(appointment_id=appointment.id):
        raise ApiError(409, "ALREADY_RATED", "本次办事已评价（一次一评）")
    if clock.now() > window_closes(appointment.checked_in_at, settings):
        raise ApiError(
            409, "RATING_WINDOW_CLOSED", f"已超过评价期限（办理后 {settings.rating_window_days} 天）"
        )
    rating = await repo.insert_rating(
        kind=m.VISIT,
        appointment_id=appointment.id,
        user_id=principal.user_id,
        department_code=await _visit_department(appointment),
        level=body.level,
        tags=body.tags,
        comment=body.comment,
        service_at=appointment.checked_in_at,
    )
    if rating is None:
        raise ApiError(409, "ALREADY_RATED", "本次办事已评价（一次一评）")
    return await _after_rating(rating, settings)


async def _visit_department(appointment) -> str:
    from citizen_api.catalog.models import Department, ServiceItem

    item = await ServiceItem.get(id=appointment.item_id)
    code = await Department.filter(id=item.department_id).first().values_list("code", flat=True)
    return code or ""


async def _after_rating(rating: Rating, settings) -> RatingView:
    opened = None
    if rating.level in BAD_LEVELS:
        opened = await rectification.open_for(rating, settings)
    return rating_view(rating, opened)


def rating_view(rating: Rating, rect: Rectification | None) -> RatingView:
    return RatingView(
        id=rating.id,
        kind=rating.kind,
        application_id=rating.application_id,
        appointment_id=rating.appointment_id,
        level=rating.level,
        level_text=LEVELS[rating.level],
        tags=list(rating.tags or []),
        comment=rating.comment,
        automatic=rating.automatic,
        created_at=rating.created_at,
        rectification=rectification_view(rect) if rect else None,
    )


def rectification_view(rect: Rectification) -> RectificationView:
    return RectificationView(
        id=rect.id,
        status=rect.status,
        status_text=rectification.STATUS_TEXT.get(rect.status, rect.status),
        visit_due=rect.visit_due,
        rectify_due=rect.rectify_due,
        visited_at=rect.visited_at,
        visit_note=rect.visit_note,
        rectified_at=rect.rectified_at,
        rectify_note=rect.rectify_note,
        verdict=rect.verdict,
        verdict_text=RECTIFICATION_VERDICTS.get(rect.verdict or ""),
        closed_at=rect.closed_at,
    )


async def my_case_rating(principal: Principal, application_id: int) -> RatingView:
    if await repo.own_application(application_id, principal.user_id) is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    rating = await repo.case_rating(application_id)
    if rating is None:
        raise ApiError(404, "NOT_RATED", "该办件尚未评价")
    rects = await repo.rectifications_of([rating.id])
    return rating_view(rating, rects.get(rating.id))


async def rating_of_case(application_id: int) -> dict | None:
    """The rating block of a case's detail (for the cases domain's views): None when not rated."""
    rating = await repo.case_rating(application_id)
    if rating is None:
        return None
    rects = await repo.rectifications_of([rating.id])
    return rating_view(rating, rects.get(rating.id)).model_dump(mode="python")
