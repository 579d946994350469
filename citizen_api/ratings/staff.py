"""Staff views of ratings (scoped to the department) and the published statistics."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.catalog.models import Department
from citizen_api.errors import ApiError
from citizen_api.ratings import appeals as appeal_service
from citizen_api.ratings import repository as repo
from citizen_api.ratings import stats
from citizen_api.ratings.models import Rating
from citizen_api.ratings.rectification import staff_rating
from citizen_api.ratings.schemas import (
    DepartmentRates,
    NoteView,
    RatesView,
    StaffRatingQuery,
    StaffRatingView,
    StatsQuery,
    StatsView,
)
from citizen_api.ratings.service import rating_view
from citizen_api.ratings.vocabulary import BAD_LEVELS
from citizen_api.security.principal import Principal, scope_to_department


async def list_ratings(principal: Principal, query: StaffRatingQuery) -> tuple[int, list[StaffRatingView]]:
    rows = scope_to_department(Rating.all(), principal)
    if query.department and principal.sees_all_departments:
        rows = rows.filter(department_code=query.department)
    if query.bad is True:
        rows = rows.filter(level__in=list(BAD_LEVELS))
    elif query.bad is False:
        rows = rows.exclude(level__in=list(BAD_LEVELS))
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.status:
        rows = rows.filter(rectification__status=query.status)
    total = await rows.count()
    page = await rows.order_by("-id").offset(query.offset).limit(query.size)
    rects = await repo.rectifications_of([r.id for r in page])
    numbers = await repo.case_numbers([r.application_id for r in page if r.application_id])
    return total, [_staff_view(r, rects.get(r.id), numbers.get(r.application_id or 0)) for r in page]


def _staff_view(rating: Rating, rect, number: str | None, notes=(), appeals=()) -> StaffRatingView:
    base = rating_view(rating, rect).model_dump()
    return StaffRatingView(
        **base,
        department_code=rating.department_code,
        application_number=number,
        excluded=rating.excluded,
        exclusion_reason=rating.exclusion_reason,
        notes=[
            NoteView(
                at=n.at,
                actor_role=n.actor_role,
                from_status=n.from_status,
                to_status=n.to_status,
                note=n.note,
            )
            for n in notes
        ],
        appeals=[appeal_service.appeal_view(a) for a in appeals],
    )


async def rating_detail(principal: Principal, rating_id: int) -> StaffRatingView:
    rating, rect = await staff_rating(principal, rating_id)
    notes = await repo.notes_of(rect.id) if rect else []
    numbers = await repo.case_numbers([rating.application_id] if rating.application_id else [])
    return _staff_view(
        rating, rect, numbers.get(rating.application_id or 0), notes, await repo.appeals_of(rating.id)
    )


def _period(query: StatsQuery) -> tuple[date, date]:
    end = query.to or clock.today()
    start = query.from_ or end.replace(day=1)
    if start > end:
        raise ApiError(
            422, "VALIDATION_ERROR", "截止日期不能早于起始日期", {"fields": {"query.from": "晚于截止日期"}}
        )
    return start, end


async def statistics(query: StatsQuery, principal: Principal | None = None) -> StatsView:
    """Per department and for the whole centre. Window clerks and approvers see their own department."""
    department = query.department
    if principal is not None and not principal.sees_all_departments:
        if department and department != principal.department:
            raise ApiError(403, "FORBIDDEN", "只能查看本部门的评价统计")
        department = principal.department or "\x00none"
    start, end = _period(query)
    by_department = await stats.tallies(start, end, department)
    names = dict(await Department.all().values_list("code", "name"))
    overall = stats.Tally()
    for tally in by_department.values():
        overall = overall + tally
    departments = [
        DepartmentRates(department=code, department_name=names.get(code, code), **stats.rates(tally))
        for code, tally in sorted(by_department.items())
    ]
    return StatsView(from_=start, to=end, overall=RatesView(**stats.rates(overall)), departments=departments)
