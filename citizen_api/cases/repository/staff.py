"""The staff's case list: scoped, searched (number, name, phone tail), filtered by statuses and by the
warning a user sees, sorted by deadline, counted in the index; the inbox badges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.functions import Count

from citizen_api.cases.models import Application
from citizen_api.cases.search_keys import SearchTerms, name_key, tail_key, terms_of
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


def _fits(branch_status: str | None, statuses: Sequence[str]) -> bool:
    if not statuses:
        return True
    if branch_status is not None:  # a running status
        return branch_status in statuses
    return any(status not in RUNNING for status in statuses)


def warning_filter(level: str, today: date, statuses: Sequence[str] = ()) -> Q | None:
    """The SQL of ``level``; with a status filter, only the branches of those statuses (a
    contradictory OR makes PostgreSQL walk the whole table); None when no case can match."""
    branches = [
        Q(q, status=branch_status) if branch_status else Q(q, status__not_in=list(RUNNING))
        for branch_status, q in warning_branches(level, today)
        if _fits(branch_status, statuses)
    ]
    return Q(*branches, join_type=Q.OR) if branches else None


async def _count_warning(scoped, level: str, statuses: Sequence[str], today: date) -> int:
    """The count of ``scoped`` (already filtered by ``statuses``) showing ``level``. An OR across
    statuses makes PostgreSQL visit the table; one count per branch (disjoint, so they add up)
    stays in the index, and branches the status filter excludes cost nothing."""
    if statuses and not any(status in RUNNING for status in statuses):
        return await scoped.count() if level == "none" else 0
    if level == "none":  # most of the table: everything minus yellow and red
        total = await scoped.count()
        for other in ("yellow", "red"):
            total -= await _count_warning(scoped, other, statuses, today)
        return total
    total = 0
    for branch_status, condition in warning_branches(level, today):
        if branch_status is not None and (not statuses or branch_status in statuses):
            total += await scoped.filter(condition, status=branch_status).count()
    return total


def _ids_where(**condition: Any) -> Q:
    return Q(id__in=Subquery(Application.filter(**condition).values("id")))


def _search(terms: SearchTerms, settings) -> Q:
    """Any of the forms ``q`` may take (search_keys.terms_of). The name and the tail are id sets of
    their own indexes, so that, ORed with a part of the number, PostgreSQL still scans only the
    (department, number, id) index (a hashed subplan) and never the table."""
    found = []
    if terms.number_part:
        found.append(Q(number__contains=terms.number_part))  # numbers are upper-case, so is the part
    if terms.name:
        found.append(_ids_where(applicant_name_index=name_key(terms.name, settings)))
    if terms.tail:
        found.append(_ids_where(phone_tail_search=tail_key(terms.tail, settings)))
    return Q(*found, join_type=Q.OR) if found else Q(id__lt=0)


def staff_query(principal: Principal, filters: Any, today: date, settings=None):
    query = scope_to_department(Application.all(), principal)
    statuses = filters.statuses
    if filters.department:
        query = query.filter(department_code=filters.department)
    if len(statuses) == 1:
        query = query.filter(status=statuses[0])
    elif statuses:
        query = query.filter(status__in=statuses)
    if filters.warning:
        condition = warning_filter(filters.warning, today, statuses)
        query = query.filter(condition) if condition is not None else query.filter(id__lt=0)
    if filters.number:
        query = query.filter(number=filters.number)
    if filters.q:
        query = query.filter(_search(terms_of(filters.q), settings))
    if filters.calendar_uncertain is not None:
        query = query.filter(calendar_uncertain=filters.calendar_uncertain)
    if filters.missing_overdue is not None:
        query = query.filter(_missing_overdue(today, filters.missing_overdue))
    return query


def _ordered(query, sort: str, searching: bool):
    if sort == "deadline":  # soonest first, cases without a deadline last, then first come first
        no_deadline = RawSQL('CASE WHEN "deadline" IS NULL THEN 1 ELSE 0 END')
        return query.annotate(no_deadline=no_deadline).order_by("no_deadline", "deadline", "id")
    if searching:
        # a search matches few cases: walking the primary key backwards until 20 match (what
        # PostgreSQL picks for ORDER BY id DESC LIMIT 20) would visit the whole table when few do
        return query.annotate(newest=RawSQL('"id" + 0')).order_by("-newest")
    return query.order_by("-id")


# a search answers at most this many ids in one scan: its page and its total together (few match)
SEARCH_IDS = 1000


async def _rows(ids: list[int]) -> list[Application]:
    rows = {case.id: case for case in await Application.filter(id__in=ids)} if ids else {}
    return [rows[i] for i in ids if i in rows]


async def _page(query, filters: Any) -> list[Application]:
    """The page's ids first (from an index alone when one covers the filters), then its rows."""
    ordered = _ordered(query, filters.sort, bool(filters.q))
    ids = await ordered.offset(filters.offset).limit(filters.size).values_list("id", flat=True)
    return await _rows(list(ids))


async def _search_page(query, filters: Any) -> tuple[int, list[Application]] | None:
    """A search's page and total from one scan of its ids; None when more than SEARCH_IDS match."""
    ordered = _ordered(query, filters.sort, True)
    ids = list(await ordered.limit(SEARCH_IDS + 1).values_list("id", flat=True))
    if len(ids) > SEARCH_IDS:
        return None
    return len(ids), await _rows(ids[filters.offset : filters.offset + filters.size])


async def staff_cases(principal: Principal, filters: Any, today: date, settings=None):
    if filters.warning and warning_filter(filters.warning, today, filters.statuses) is None:
        return 0, []  # e.g. a delivered case is never red: nothing to ask the database
    query = staff_query(principal, filters, today, settings)
    if filters.q and (found := await _search_page(query, filters)) is not None:
        return found
    items = await _page(query, filters)
    if len(items) < filters.size and (items or filters.page == 1):
        return filters.offset + len(items), items  # the last page: the total is known, no count
    if filters.warning is None:
        return await query.count(), items
    scoped = staff_query(principal, filters.model_copy(update={"warning": None}), today, settings)
    return await _count_warning(scoped, filters.warning, filters.statuses, today), items


async def staff_counts(principal: Principal, today: date) -> tuple[dict[str, int], int, int]:
    """(cases per status, yellow, red) within the principal's scope, each from the index."""
    scoped = scope_to_department(Application.all(), principal)
    # COUNT(status), not COUNT(id): the (department, status, …) index answers it alone
    rows = await scoped.annotate(n=Count("status")).group_by("status").values("status", "n")
    per_status = {row["status"]: row["n"] for row in rows}
    yellow = await _count_warning(scoped, "yellow", (), today)
    red = await _count_warning(scoped, "red", (), today)
    return per_status, yellow, red


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
