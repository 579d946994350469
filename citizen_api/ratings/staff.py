"""Staff views of ratings (scoped to the department) and the published statistics."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.ratings import ports, stats, views
from citizen_api.ratings import repository as repo
from citizen_api.ratings import transitions as t
from citizen_api.ratings.offers import staff_actions
from citizen_api.ratings.rectification import staff_rating
from citizen_api.ratings.schemas import (
    DepartmentRates,
    RatesView,
    StaffRatingQuery,
    StaffRatingView,
    StatsQuery,
    StatsView,
)
from citizen_api.security.principal import Principal


async def list_ratings(principal: Principal, query: StaffRatingQuery) -> tuple[int, list[StaffRatingView]]:
    total, page = await repo.staff_ratings(principal, query)
    numbers = await ports.cases().numbers([r.application_id for r in page if r.application_id])
    names = await catalog.department_names()
    pending = await repo.with_pending_appeal([r.id for r in page])
    return total, [
        views.staff_rating_view(
            r,
            numbers.get(r.application_id or 0),
            department_name=names.get(r.department_code),
            actions=staff_actions(principal, r, r.id in pending),
        )
        for r in page
    ]


async def rating_detail(principal: Principal, rating_id: int) -> StaffRatingView:
    rating = await staff_rating(principal, rating_id)
    rect = rating.rectification
    notes = await repo.notes_of(rect.id) if rect else []
    numbers = await ports.cases().numbers([rating.application_id] if rating.application_id else [])
    names = await catalog.department_names()
    appeals = await repo.appeals_of(rating.id)
    pending = any(appeal.status == t.APPEAL_INITIAL for appeal in appeals)
    return views.staff_rating_view(
        rating,
        numbers.get(rating.application_id or 0),
        notes,
        appeals,
        names.get(rating.department_code),
        staff_actions(principal, rating, pending),
    )


async def statistics(query: StatsQuery, principal: Principal | None = None) -> StatsView:
    """Per department and for the whole centre. Window clerks and approvers see their own department."""
    department = query.department
    if principal is not None and not principal.sees_all_departments:
        if department and department != principal.department:
            raise ApiError(403, "FORBIDDEN", "只能查看本部门的评价统计")
        department = principal.department or "\x00none"
    start, end = query.period(clock.today())
    if start > end:
        raise ApiError(
            422, "VALIDATION_ERROR", "截止日期不能早于起始日期", {"fields": {"query.from": "晚于截止日期"}}
        )
    by_department = await stats.tallies(start, end, department)
    names = {d.code: d.name for d in await catalog.departments()}
    overall = stats.Tally()
    for tally in by_department.values():
        overall = overall + tally
    departments = [
        DepartmentRates(department=code, department_name=names.get(code, code), **stats.rates(tally))
        for code, tally in sorted(by_department.items())
    ]
    return StatsView(from_=start, to=end, overall=RatesView(**stats.rates(overall)), departments=departments)
