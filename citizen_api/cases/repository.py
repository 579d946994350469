"""Every query of the cases domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tortoise.expressions import Q

from citizen_api import clock
from citizen_api.cases.models import Application, ApplicationMaterial, SupervisionWarning, TimelineEntry
from citizen_api.cases.transitions import OPEN
from citizen_api.catalog.models import Material, ServiceItem
from citizen_api.security.principal import Principal, scope_to_department


async def case_of_citizen(case_id: int, user_id: int) -> Application | None:
    return await Application.get_or_none(id=case_id, applicant_id=user_id)


async def case_for_staff(case_id: int, principal: Principal) -> Application | None:
    return await scope_to_department(Application.filter(id=case_id), principal).first()


async def citizen_cases(user_id: int, status: str | None, offset: int, limit: int):
    query = Application.filter(applicant_id=user_id)
    if status:
        query = query.filter(status=status)
    total = await query.count()
    items = await query.order_by("-submitted_at", "-id").offset(offset).limit(limit)
    return total, items


RUNNING = ("accepted", "suspended")


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


async def timeline(case_id: int) -> list[TimelineEntry]:
    return await TimelineEntry.filter(application_id=case_id).order_by("at", "id")


async def add_timeline(
    case_id: int, actor: Principal | None, from_status: str | None, to_status: str, note: str, kind="status"
) -> None:
    await TimelineEntry.create(
        application_id=case_id,
        at=clock.now(),
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role if actor else "system",
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


async def submitted_materials(case_id: int) -> list[ApplicationMaterial]:
    return (
        await ApplicationMaterial.filter(application_id=case_id)
        .select_related("material", "upload")
        .order_by("material__position", "material_id", "id")
    )


async def add_materials(case_id: int, pairs: Iterable[tuple[int, int]]) -> None:
    rows = [ApplicationMaterial(application_id=case_id, material_id=m, upload_id=u) for m, u in pairs]
    if rows:
        await ApplicationMaterial.bulk_create(rows)


async def accept_materials(case_id: int) -> None:
    await ApplicationMaterial.filter(application_id=case_id, status="submitted").update(status="accepted")


async def materials_by_id(ids: Iterable[int]) -> dict[int, Material]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {m.id: m for m in await Material.filter(id__in=ids)}


async def reusable_uploads(user_id: int, kinds: list[str], per_kind: int = 5) -> dict[str, list]:
    """The citizen's uploads accepted in earlier cases, newest first, by material kind."""
    if not kinds:
        return {}
    rows = (
        await ApplicationMaterial.filter(
            application__applicant_id=user_id, status="accepted", material__kind__in=kinds
        )
        .select_related("material", "upload", "application")
        .order_by("-id")
        .limit(500)
    )
    found: dict[str, list] = {}
    seen: set[tuple[str, int]] = set()
    for row in rows:
        kind = row.material.kind
        if (kind, row.upload_id) in seen or len(found.get(kind, [])) >= per_kind:
            continue
        seen.add((kind, row.upload_id))
        found.setdefault(kind, []).append(row)
    return found


async def record_warning(case: Application, level: str) -> bool:
    """Write the (case, level) warning once; True when this call wrote it."""
    before = await SupervisionWarning.filter(application_id=case.id, level=level).exists()
    if before:
        return False
    await SupervisionWarning.bulk_create(
        [
            SupervisionWarning(
                application_id=case.id,
                level=level,
                department_code=case.department_code,
                deadline=case.deadline,
            )
        ],
        ignore_conflicts=True,
    )
    return True


# -- what the citizen may do with a page of cases (offers.py): one query per question, not per case;
# the ratings, delivery and catalog domains own these tables, the questions are read-only


async def rated_cases(case_ids: list[int]) -> set[int]:
    from citizen_api.ratings.models import Rating

    if not case_ids:
        return set()
    return set(await Rating.filter(application_id__in=case_ids).values_list("application_id", flat=True))


async def deliverable_items(item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(await ServiceItem.filter(id__in=item_ids, deliverable=True).values_list("id", flat=True))


async def mailed_cases(case_ids: list[int]) -> set[int]:
    """Cases whose result has an outbound shipment (the address can no longer change)."""
    from citizen_api.delivery.models import OUTBOUND, Shipment

    if not case_ids:
        return set()
    rows = await Shipment.filter(application_id__in=case_ids, direction=OUTBOUND).values_list(
        "application_id", flat=True
    )
    return set(rows)


async def complained_cases(case_ids: list[int]) -> set[int]:
    """Cases with a complaint still waiting for its answer (one open complaint per case)."""
    from citizen_api.complaints.models import OPEN as COMPLAINT_OPEN
    from citizen_api.complaints.models import Complaint

    if not case_ids:
        return set()
    rows = await Complaint.filter(application_id__in=case_ids, status=COMPLAINT_OPEN).values_list(
        "application_id", flat=True
    )
    return set(rows)


# -- the supplement reminder (reminders.py)


async def due_reminders(remind_day: date, today: date, limit: int) -> list[Application]:
    """Open cases whose reminder day has come, not yet reminded, whose due date has not passed."""
    return (
        await Application.filter(
            status__in=list(OPEN),
            missing_reminded=False,
            missing_remind_on__lte=remind_day,
            missing_due__gte=today,
        )
        .order_by("id")
        .limit(limit)
    )


async def mark_reminded(case: Application) -> bool:
    """Claim the reminder of ``case`` for its current due date (False: another run took it)."""
    claimed = await Application.filter(
        id=case.id, missing_reminded=False, missing_due=case.missing_due
    ).update(missing_reminded=True)
    return claimed == 1
