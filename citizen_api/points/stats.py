"""The points' figures: per village point, the cases filed there in a period and how many of them are
done, the results at the point now awaiting pickup, and those handed over in the period."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.cases import service as cases
from citizen_api.points import repository as repo
from citizen_api.points.schemas import PointFigures, PointStats, PointStatsQuery
from citizen_api.points.scope import own_point, point_of
from citizen_api.points.transitions import VILLAGE
from citizen_api.security.principal import VILLAGE_AGENT, Principal


def _bounds(query: PointStatsQuery) -> tuple[datetime, datetime]:
    """[from 00:00, the day after to 00:00) in China time (the dates are inclusive), as UTC: SQLite
    compares stored times as text, and they are stored in UTC."""
    lo = datetime.combine(query.since, time.min, tzinfo=clock.CST)
    hi = datetime.combine(query.until + timedelta(days=1), time.min, tzinfo=clock.CST)
    return lo.astimezone(UTC), hi.astimezone(UTC)


async def stats(principal: Principal, query: PointStatsQuery) -> PointStats:
    only = query.point
    if principal.role == VILLAGE_AGENT:  # an agent sees their own point only (403 POINT_SCOPE else)
        point = await own_point(principal, query.point) if query.point else await point_of(principal)
        only = point.code
    lo, hi = _bounds(query)
    names = await appointments.office_names()
    points = [p for p in await repo.places() if p.level == VILLAGE and p.office_code in names]
    if only:
        points = [p for p in points if p.office_code == only]
    filed_pairs = await repo.filed_case_ids(lo, hi, only)
    found = await cases.cases_by_id(case_id for _, case_id in filed_pairs)
    filed = Counter(point for point, _ in filed_pairs)
    done = Counter(
        point
        for point, case_id in filed_pairs
        if case_id in found and found[case_id].status in cases.WITH_RESULT
    )
    waiting = await repo.waiting_counts(only)
    handed = await repo.handed_over_counts(lo, hi, only)
    return PointStats(
        since=query.since,
        until=query.until,
        points=[
            PointFigures(
                point_code=p.office_code,
                point_name=names[p.office_code],
                town_code=p.parent_code,
                filed=filed[p.office_code],
                done=done[p.office_code],
                awaiting_pickup=waiting.get(p.office_code, 0),
                handed_over=handed.get(p.office_code, 0),
            )
            for p in points
        ],
    )
