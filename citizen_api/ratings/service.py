"""Rating a case (一事一评) or a window visit (一次一评); only the citizen rates.

Services never commit. A bad rating (1 or 2) opens a rectification for the handling department in
the same transaction (see ``rectification.py``). The public API for other domains (cases shows a
case's rating and offers ``rate``): :func:`rated_cases`, :func:`rating_of_case`, :func:`rating_closes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.audit import service as audit
from citizen_api.errors import ApiError
from citizen_api.ratings import ports, rectification, staff, stats, views
from citizen_api.ratings import repository as repo
from citizen_api.ratings.models import CASE, VISIT, Rating
from citizen_api.ratings.schemas import RatingIn, RatingView
from citizen_api.ratings.vocabulary import BAD_LEVELS, LEVELS
from citizen_api.security.principal import Principal

STAFF_MAY_NOT_RATE = "评价只能由办事群众本人作出，工作人员不能代为评价或修改评价"


# -- for other domains (the case detail and its ``rate`` action; the supervision series)

levels_by = stats.levels_by  # (start, end, department, bucket) → [(department_code, period, level, n)]
good_rate = stats.good_rate  # Counter of levels → 好评率 %
satisfaction = stats.satisfaction  # Counter of levels → mean level
staff_ratings = staff.list_ratings  # (principal, StaffRatingQuery) → (total, [StaffRatingView]) (exports)
staff_statistics = staff.statistics  # (StatsQuery, principal) → StatsView (exports)


async def rated_cases(case_ids: Iterable[int]) -> set[int]:
    """The ids among ``case_ids`` that have a rating (the automatic 基本满意 counts)."""
    return await repo.rated_case_ids(case_ids)


async def rating_facts(case_ids: Iterable[int]) -> dict[int, int]:
    """For 效能考评: case id → its rating's level 1–5 (the automatic 基本满意 counts; a rating excluded
    after an upheld appeal does not)."""
    return await repo.case_levels(case_ids)


async def rating_of_case(case_id: int) -> RatingView | None:
    """The case's rating with its rectification; None when not rated."""
    rating = await repo.case_rating(case_id)
    return None if rating is None else views.rating_view(rating)


def rating_closes(service_at: datetime, settings) -> datetime:
    """The last moment a service done at ``service_at`` may be rated (``rating_window_days``)."""
    return service_at + timedelta(days=settings.rating_window_days)


# -- the citizen rates


async def record_staff_attempt(
    principal: Principal, action: str, object_type: str, object_id: int, request_id: str
) -> ApiError:
    """Staff may neither create nor change a rating: the attempt is audited; returns the 403 to raise
    once the record is committed (the endpoint runs this in a unit of work of its own)."""
    await audit.record(principal, action, object_type, object_id, {"refused": True}, request_id=request_id)
    return ApiError(403, "FORBIDDEN", STAFF_MAY_NOT_RATE)


def _window_closed(settings, what: str) -> ApiError:
    return ApiError(
        409, "RATING_WINDOW_CLOSED", f"已超过评价期限（{what}后 {settings.rating_window_days} 天）"
    )


async def rate_case(principal: Principal, application_id: int, body: RatingIn, settings) -> RatingView:
    case = await ports.cases().own_case(application_id, principal.user_id)
    if case is None:
        rater = ports.bundle_rater()  # not a case: perhaps the citizen's bundle application (一件事)
        rated = await rater(principal, application_id, body, settings) if rater else None
        if rated is not None:
            return rated
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    if case.done_at is None:
        raise ApiError(409, "NOT_FINISHED", "办件尚未办结，办结后再来评价吧", {"status": case.status})
    if await repo.case_rating(case.id) is not None:
        raise ApiError(409, "ALREADY_RATED", "该办件已评价（一事一评）")
    if clock.now() > rating_closes(case.done_at, settings):
        raise _window_closed(settings, "办结")
    rating = await repo.insert_rating(
        kind=CASE,
        application_id=case.id,
        user_id=principal.user_id,
        department_code=case.department_code,
        level=body.level,
        tags=body.tags,
        comment=body.comment,
        service_at=case.done_at,
    )
    if rating is None:  # a twin request got there first
        raise ApiError(409, "ALREADY_RATED", "该办件已评价（一事一评）")
    await ports.cases().add_rating_entry(
        case.id, f"群众评价：{LEVELS[body.level]}", principal.user_id, principal.role
    )
    return await _after_rating(rating, settings)


async def rate_visit(principal: Principal, appointment_id: int, body: RatingIn, settings) -> RatingView:
    """一次一评: the citizen's own checked-in appointment, once."""
    visit = await appointments.visit_of(appointment_id, principal.user_id)
    if visit is None:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    if not visit.served:
        raise ApiError(409, "NOT_FINISHED", "到窗口签到办理后才能评价本次服务", {"status": visit.status})
    if await repo.visit_rated(visit.id):
        raise ApiError(409, "ALREADY_RATED", "本次办事已评价（一次一评）")
    if clock.now() > rating_closes(visit.checked_in_at, settings):
        raise _window_closed(settings, "办理")
    rating = await repo.insert_rating(
        kind=VISIT,
        appointment_id=visit.id,
        user_id=principal.user_id,
        department_code=visit.department_code,
        level=body.level,
        tags=body.tags,
        comment=body.comment,
        service_at=visit.checked_in_at,
    )
    if rating is None:
        raise ApiError(409, "ALREADY_RATED", "本次办事已评价（一次一评）")
    return await _after_rating(rating, settings)


async def _after_rating(rating: Rating, settings) -> RatingView:
    if rating.level in BAD_LEVELS:
        await rectification.open_for(rating, settings)
    return views.rating_view(await repo.rating(rating.id))


async def my_case_rating(principal: Principal, application_id: int) -> RatingView:
    if await ports.cases().own_case(application_id, principal.user_id) is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    rating = await repo.case_rating(application_id)
    if rating is None:
        raise ApiError(404, "NOT_RATED", "该办件尚未评价")
    return views.rating_view(rating)
