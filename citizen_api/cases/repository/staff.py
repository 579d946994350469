"""The staff's case list: scoped, filtered by status and by the warning a user sees, counted in the index."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import Q

from citizen_api.cases.models import Application
from citizen_api.cases.transitions import OPEN, RUNNING
from citizen_api.security.principal import Principal, scope_to_department


def warning_branches(level: str, today: date) -> list[tuple[str | None, Q]]:
    """The warning a user sees, in SQL, as disjoint (status, condition) branches: dates for running
    clocks, the frozen value while suspended; status None = every other status (always calm)."""
    if level == "red":
        return [("accepted", Q(deadline__lt=today)), ("suspended", Q(warning="red"))]
    if level == "yellow":
        return [
            ("accepted", Q(deadline__gte=today, yellow_on__lte=today)),
            ("suspended", Q(warning="yellow")),
        ]
    # everything neither yellow nor red, as deadlines.warning_of says (a clock without dates is calm)
    return [
        (None, Q()),
        ("accepted", Q(deadline__isnull=True)),
        ("accepted", Q(deadline__gte=today, yellow_on__isnull=True)),
        ("accepted", Q(deadline__gte=today, yellow_on__gt=today)),
        ("suspended", Q(warning="none")),
    ]


def _fits(branch_status: str | None, status: str | None) -> bool:
    if status is None:
        return True
    return branch_status == status if status in RUNNING else branch_status is None


def warning_filter(level: str, today: date, status: str | None = None) -> Q | None:
    """The SQL of ``level``; with a status filter, only the branches of that status (a
    contradictory OR makes PostgreSQL walk the whole table); None when no case can match."""
    branches = [
        Q(q, status=branch_status) if branch_status else Q(q, status__not_in=list(RUNNING))
        for branch_status, q in warning_branches(level, today)
        if _fits(branch_status, status)
    ]
    return Q(*branches, join_type=Q.OR) if branches else None


async def _count_warning(scoped, level: str, status: str | None, today: date) -> int:
    """The count of ``scoped`` (already filtered by ``status``) showing ``level``. An OR across
    statuses makes PostgreSQL visit the table; one count per branch (disjoint, so they add up)
    stays in the index, and branches the status filter excludes cost nothing."""
    if status is not None and status not in RUNNING:
        return await scoped.count() if level == "none" else 0
    if level == "none":  # most of the table: everything minus yellow and red
        total = await scoped.count()
        for other in ("yellow", "red"):
            total -= await _count_warning(scoped, other, status, today)
        return total
    total = 0
    for branch_status, condition in warning_branches(level, today):
        if status in (None, branch_status):
            total += await scoped.filter(condition, status=branch_status).count()
    return total


def staff_query(principal: Principal, filters: Any, today: date):
    query = scope_to_department(Application.all(), principal)
    if filters.department:
        query = query.filter(department_code=filters.department)
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.warning:
        condition = warning_filter(filters.warning, today, filters.status)
        query = query.filter(condition) if condition is not None else query.filter(id__lt=0)
    if filters.number:
        query = query.filter(number=filters.number)
    if filters.calendar_uncertain is not None:
        query = query.filter(calendar_uncertain=filters.calendar_uncertain)
    if filters.missing_overdue is not None:
        query = query.filter(_missing_overdue(today, filters.missing_overdue))
    return query


async def staff_cases(principal: Principal, filters: Any, today: date):
    if filters.warning and warning_filter(filters.warning, today, filters.status) is None:
        return 0, []  # e.g. a delivered case is never red: nothing to ask the database
    query = staff_query(principal, filters, today)
    items = await query.order_by("-id").offset(filters.offset).limit(filters.size)
    if len(items) < filters.size and (items or filters.page == 1):
        return filters.offset + len(items), items  # the last page: the total is known, no count
    if filters.warning is None:
        return await query.count(), items
    scoped = staff_query(principal, filters.model_copy(update={"warning": None}), today)
    return await _count_warning(scoped, filters.warning, filters.status, today), items


def _missing_overdue(today: date, overdue: bool = True) -> Q:
    """Open cases past the date their owed materials (补正, 容缺) were due (supplementing the last
    one clears ``missing_due``, so a due date on an open case means something is still owed); with
    ``overdue=False`` every other case, written out (NOT over a NULL date would drop rows)."""
    if overdue:
        return Q(status__in=list(OPEN), missing_due__lt=today)
    return Q(
        Q(status__not_in=list(OPEN)),
        Q(missing_due__isnull=True),
        Q(missing_due__gte=today),
        join_type=Q.OR,
    )
