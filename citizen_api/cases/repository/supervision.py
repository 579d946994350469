"""电子监察 queries: the warnings the job stores, the warning list, the statistics' grouped counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from citizen_api.cases.models import Application, SupervisionWarning
from citizen_api.cases.repository.staff import warning_filter
from citizen_api.cases.transitions import OPEN, RUNNING
from citizen_api.security.principal import Principal, scope_to_department

# -- the warning job (supervision.run_warnings)


def _stale(today: date) -> Q:
    """Running cases whose stored warning differs from the one they show today."""
    red = Q(deadline__lt=today)
    yellow = Q(deadline__gte=today, yellow_on__lte=today)
    calm = Q(yellow_on__gt=today)
    return Q(status="accepted") & (
        (red & ~Q(warning="red")) | (yellow & ~Q(warning="yellow")) | (calm & ~Q(warning="none"))
    )


async def stale_cases(today: date, limit: int) -> list[Application]:
    return await Application.filter(_stale(today)).order_by("id").limit(limit)


async def store_warning(case_id: int, previous: str, level: str) -> bool:
    """The accepted case's stored warning ``previous`` → ``level``; False when it moved meanwhile."""
    updated = await Application.filter(id=case_id, status="accepted", warning=previous).update(warning=level)
    return updated == 1


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


async def warnings_page(principal: Principal, query: Any) -> tuple[int, list[SupervisionWarning]]:
    """The warnings of the staff member's scope, newest first, each with its case loaded."""
    rows = scope_to_department(SupervisionWarning.all(), principal)
    if query.department:
        rows = rows.filter(department_code=query.department)
    if query.level:
        rows = rows.filter(level=query.level)
    if query.open_only:
        rows = rows.filter(application__status__in=list(OPEN))
    total = await rows.count()
    items = (
        await rows.select_related("application")
        .order_by("-created_at", "-id")
        .offset(query.offset)
        .limit(query.size)
    )
    return total, items


# -- the statistics (stats.py): one grouped query per figure, by department


@dataclass
class StatsCounts:
    """Per department code: a row of counts (``n``, and ``days``/``timed`` for decided cases)."""

    submitted: dict[str, dict] = field(default_factory=dict)
    online: dict[str, dict] = field(default_factory=dict)
    zero_trip: dict[str, dict] = field(default_factory=dict)
    decided: dict[str, dict] = field(default_factory=dict)
    on_time: dict[str, dict] = field(default_factory=dict)
    open_by_warning: dict[str, dict[str, dict]] = field(default_factory=dict)  # level → department → row
    uncertain: dict[str, dict] = field(default_factory=dict)


async def _grouped(query, **aggregates) -> dict[str, dict]:
    rows = (
        await query.annotate(**aggregates).group_by("department_code").values("department_code", *aggregates)
    )
    return {row["department_code"]: row for row in rows}


async def stats_counts(
    principal: Principal, department: str | None, lower: datetime, upper: datetime, today: date
) -> StatsCounts:
    """Cases filed and decided in [lower, upper), and the open ones by the warning they show today."""
    base = scope_to_department(Application.all(), principal)
    if department:
        base = base.filter(department_code=department)
    filed = base.filter(submitted_at__gte=lower, submitted_at__lt=upper)
    decided = base.filter(decided_at__gte=lower, decided_at__lt=upper)
    running = base.filter(status__in=list(RUNNING))
    not_collected = Q(delivery_channel__isnull=True) | ~Q(delivery_channel="window")
    return StatsCounts(
        submitted=await _grouped(filed, n=Count("id")),
        online=await _grouped(filed.filter(channel="online"), n=Count("id")),
        zero_trip=await _grouped(filed.filter(Q(item_trips=0) & not_collected), n=Count("id")),
        decided=await _grouped(
            decided, n=Count("id"), days=Sum("working_days_used"), timed=Count("working_days_used")
        ),
        on_time=await _grouped(decided.filter(on_time=True), n=Count("id")),
        open_by_warning={
            level: await _grouped(running.filter(warning_filter(level, today)), n=Count("id"))
            for level in ("none", "yellow", "red")
        },
        uncertain=await _grouped(running.filter(calendar_uncertain=True), n=Count("id")),
    )
