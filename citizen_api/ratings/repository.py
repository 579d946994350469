"""Every 好差评 query (ratings, rectifications and their notes, appeals)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.functions import Count

from citizen_api import clock, db, sql_days
from citizen_api.clock import to_local
from citizen_api.ratings import transitions as t
from citizen_api.ratings.models import CASE, Appeal, Rating, Rectification, RectificationNote
from citizen_api.ratings.vocabulary import BAD_LEVELS
from citizen_api.security.principal import Principal, scope_to_department

# -- ratings


async def case_rating(application_id: int) -> Rating | None:
    """The case's rating with its rectification (if any) loaded."""
    return await Rating.filter(application_id=application_id).prefetch_related("rectification").first()


async def rated_case_ids(application_ids: Iterable[int]) -> set[int]:
    ids = list(set(application_ids))
    if not ids:
        return set()
    return set(await Rating.filter(application_id__in=ids).values_list("application_id", flat=True))


async def visit_rated(appointment_id: int) -> bool:
    return await Rating.exists(appointment_id=appointment_id)


async def case_levels(application_ids: Iterable[int]) -> dict[int, int]:
    """case id → its rating's level (1–5), for the cases rated and not excluded after an appeal."""
    ids = sorted(set(application_ids))
    levels: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        rows = await Rating.filter(application_id__in=ids[start : start + 500], excluded=False).values_list(
            "application_id", "level"
        )
        levels.update((case_id, level) for case_id, level in rows)
    return levels


async def rating(rating_id: int, *, user_id: int | None = None) -> Rating | None:
    """One rating with its rectification loaded; with ``user_id`` only that citizen's."""
    query = Rating.filter(id=rating_id)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    return await query.prefetch_related("rectification").first()


async def insert_rating(**values: Any) -> Rating | None:
    """The new rating, or None when the case or visit already has one (the unique key says so)."""
    try:
        async with db.atomic():  # a savepoint: the caller's transaction survives the conflict
            # stamped by the service clock, as every deadline computed from it (auto_now_add: the wall clock)
            return await Rating.create(**{"created_at": clock.now(), **values})
    except IntegrityError:
        return None


async def staff_ratings(principal: Principal, query: Any) -> tuple[int, list[Rating]]:
    """A page of the ratings the staff member's departments may see, newest first."""
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
    page = await rows.order_by("-id").offset(query.offset).limit(query.size).prefetch_related("rectification")
    return total, page


async def exclude_rating(rating_id: int, reason: str, by: int, now: datetime) -> None:
    """An upheld appeal: the rating leaves the statistics, stays on record."""
    await Rating.filter(id=rating_id, excluded=False).update(
        excluded=True, exclusion_reason=reason, excluded_by=by, excluded_at=now
    )


# -- rectifications


async def create_rectification(
    rating: Rating, visit_due: date, rectify_due: date, uncertain: bool
) -> Rectification:
    rectification = await Rectification.create(
        created_at=clock.now(),
        rating_id=rating.id,
        department_code=rating.department_code,
        status=t.RECTIFICATION_INITIAL,
        visit_due=visit_due,
        rectify_due=rectify_due,
        calendar_uncertain=uncertain,
    )
    await add_note(rectification.id, None, t.SYSTEM, "", t.RECTIFICATION_INITIAL, "差评自动转办责任部门")
    return rectification


async def rectification(rectification_id: int) -> Rectification:
    return await Rectification.get(id=rectification_id)


async def add_note(
    rectification_id: int, actor_id: int | None, actor_role: str, from_status: str, to_status: str, note: str
) -> None:
    await RectificationNote.create(
        at=clock.now(),
        rectification_id=rectification_id,
        actor_id=actor_id,
        actor_role=actor_role,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


async def move_rectification(rectification_id: int, source: str, **values: Any) -> bool:
    """A conditional UPDATE from ``source`` (two clerks at once: the second finds nothing to move)."""
    changed = await Rectification.filter(id=rectification_id, status=source).update(**values)
    return changed == 1


async def notes_of(rectification_id: int) -> list[RectificationNote]:
    return await RectificationNote.filter(rectification_id=rectification_id).order_by("id")


async def due_visits(today: date, limit: int) -> list[Rectification]:
    """Not yet visited, the visit due today or earlier."""
    return await Rectification.filter(status=t.OPEN, visit_due__lte=today).limit(limit)


async def due_fixes(today: date, limit: int) -> list[Rectification]:
    """Not yet rectified, the fix due today or earlier."""
    return await Rectification.filter(status__in=[t.OPEN, t.VISITED], rectify_due__lte=today).limit(limit)


async def unjudged(rectified_before: datetime, limit: int) -> list[Rectification]:
    """Rectified before ``rectified_before`` and still waiting for the citizen's verdict (rating loaded)."""
    return (
        await Rectification.filter(status=t.RECTIFIED, rectified_at__lt=rectified_before)
        .limit(limit)
        .prefetch_related("rating")
    )


# -- appeals


async def appeals_of(rating_id: int) -> list[Appeal]:
    return await Appeal.filter(rating_id=rating_id).order_by("id")


async def with_pending_appeal(rating_ids: Iterable[int]) -> set[int]:
    """Which of ``rating_ids`` have an appeal waiting for a decision."""
    wanted = list(set(rating_ids))
    if not wanted:
        return set()
    rows = Appeal.filter(rating_id__in=wanted, status=t.APPEAL_INITIAL).values_list("rating_id", flat=True)
    return set(await rows)


async def insert_appeal(**values: Any) -> Appeal | None:
    """The new pending appeal, or None when the rating has one pending (its unique pending key)."""
    try:
        async with db.atomic():  # savepoint: the unique pending key refuses a second open appeal
            return await Appeal.create(status=t.APPEAL_INITIAL, **{"filed_at": clock.now(), **values})
    except IntegrityError:
        return None


async def appeal(appeal_id: int) -> Appeal | None:
    return await Appeal.get_or_none(id=appeal_id)


async def decide_appeal(
    appeal_id: int, source: str, to: str, decided_by: int, now: datetime, reason: str
) -> bool:
    """``source`` → ``to`` as one conditional UPDATE, never by whoever filed it (the condition is in
    the UPDATE, so even a bypassed check cannot let them decide)."""
    decided = await (
        Appeal.filter(id=appeal_id, status=source)
        .exclude(filed_by=decided_by)
        .update(status=to, pending_key=None, decided_by=decided_by, decided_at=now, decision_reason=reason)
    )
    return decided == 1


async def appeals_page(status: str | None, offset: int, limit: int) -> tuple[int, list[Appeal]]:
    query = Appeal.all()
    if status:
        query = query.filter(status=status)
    return await query.count(), await query.order_by("-id").offset(offset).limit(limit)


# -- statistics (stats.py): grouped counts of the ratings of services in [lo, hi)


def _in_period(lo: datetime, hi: datetime, department: str | None):
    scope = {"department_code": department} if department else {}
    return Rating.filter(service_at__gte=lo, service_at__lt=hi, excluded=False, **scope)


async def counted_by_level(lo: datetime, hi: datetime, department: str | None) -> list[dict]:
    """Ratings not excluded, as rows of (department_code, level, automatic, n)."""
    return await (
        _in_period(lo, hi, department)
        .annotate(n=Count("id"))
        .group_by("department_code", "level", "automatic")
        .values("department_code", "level", "automatic", "n")
    )


async def rectified_bad(lo: datetime, hi: datetime, department: str | None) -> dict[str, int]:
    """差评 (not excluded) whose rectification is done, by department."""
    rows = await (
        _in_period(lo, hi, department)
        .filter(level__in=list(BAD_LEVELS), rectification__status__in=[t.RECTIFIED, t.CLOSED])
        .annotate(n=Count("id"))
        .group_by("department_code")
        .values("department_code", "n")
    )
    return {row["department_code"]: row["n"] for row in rows}


async def citizen_case_ratings(lo: datetime, hi: datetime, department: str | None) -> dict[str, int]:
    """Cases the citizen rated (even if the rating was excluded later), by department."""
    scope = {"department_code": department} if department else {}
    rows = await (
        Rating.filter(service_at__gte=lo, service_at__lt=hi, kind=CASE, automatic=False, **scope)
        .annotate(n=Count("id"))
        .group_by("department_code")
        .values("department_code", "n")
    )
    return {row["department_code"]: row["n"] for row in rows}


def _period_sql(bucket: str, sqlite: bool) -> str:
    """The first day of the China-time period (week from Monday, month, or ``all``) of ``service_at``."""
    return sql_days.bucket(sql_days.local_day("service_at", sqlite), bucket, sqlite)


async def levels_by(lo: datetime, hi: datetime, department: str | None, bucket: str) -> list[dict]:
    """Ratings not excluded of services in [lo, hi), as (department_code, period, level, n), the period
    a China-time week, month or ``all`` (one grouped SQL)."""
    conn = connections.get("default")
    sqlite = conn.capabilities.dialect == "sqlite"
    args: list = [lo, hi]
    if sqlite:
        day = sql_days.local_day("service_at", True)
        where = f"{day} >= ? AND {day} < ?"
        args = [to_local(lo).date().isoformat(), to_local(hi).date().isoformat()]
    else:
        where = "service_at >= $1 AND service_at < $2"
    if department is not None:
        where += " AND department_code = " + ("?" if sqlite else "$3")
        args.append(department)
    sql = (
        f"SELECT department_code, {_period_sql(bucket, sqlite)} AS period, level, COUNT(*) AS n FROM ratings "
        f"WHERE {where} AND NOT excluded GROUP BY 1, 2, 3"
    )
    rows = await conn.execute_query_dict(sql, args)
    for row in rows:
        if isinstance(row["period"], str):
            row["period"] = date.fromisoformat(row["period"][:10])
        elif isinstance(row["period"], datetime):
            row["period"] = row["period"].date()
    return rows
