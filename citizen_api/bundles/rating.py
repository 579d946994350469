"""One rating for the bundle (``POST /applications/{bundle id}/rating``), once every child is done.

The national per-case rules still hold (一事一评, GB/T 39734): the rating is recorded for every child
that has its result, through the ratings domain's own ``rate_case``, so each child's rating exists
exactly once; a child the citizen already rated on its own (or rated automatically) keeps that rating.
A bad rating opens a rectification for each department, as for any case.
"""

from __future__ import annotations

from citizen_api.bundles import repository as repo
from citizen_api.bundles import status
from citizen_api.cases import service as cases
from citizen_api.errors import ApiError
from citizen_api.ratings import service as ratings
from citizen_api.ratings.schemas import RatingIn, RatingView
from citizen_api.security.principal import Principal


async def rate(principal: Principal, application_id: int, body: RatingIn, settings) -> RatingView | None:
    application = await repo.application_of_citizen(application_id, principal.user_id)
    if application is None:
        return None
    children = await cases.bundle_children([application.application_id])
    statuses = [c.status for c in children]
    if not status.is_done(statuses):
        raise ApiError(
            409,
            "NOT_FINISHED",
            "一件事的事项尚未全部办结，办结后再来评价吧",
            {"status": status.derive(statuses)},
        )
    with_result = [c for c in children if c.status in status.HAS_RESULT]
    if not with_result:
        raise ApiError(
            409, "NOT_FINISHED", "一件事没有办结的事项，无需评价", {"status": status.derive(statuses)}
        )
    rated = await ratings.rated_cases([c.id for c in with_result])
    todo = [c for c in with_result if c.id not in rated]
    if not todo:
        raise ApiError(409, "ALREADY_RATED", "该一件事已评价（一事一评）")
    views = [await ratings.rate_case(principal, child.id, body, settings) for child in todo]
    return views[0]
