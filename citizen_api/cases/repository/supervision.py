"""电子监察 queries: the warnings the job stores, the warning list, the statistics' grouped counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from citizen_api import clock
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
                created_at=clock.now(),  # the service clock: the weekly warning series counts by it
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
    order = ("application__deadline", "id") if query.sort == "days_overdue" else ("-created_at", "-id")
    items = await rows.select_related("application").order_by(*order).offset(query.offset).limit(query.size)
    return total, items


# -- the statistics (stats.py): the open cases now, by department (the period's counts: series.py)


async def _grouped(query, **aggregates) -> dict[str, dict]:
    rows = (
        await query.annotate(**aggregates).group_by("department_code").values("department_code", *aggregates)
    )
    return {row["department_code"]: row for row in rows}


async def open_counts(principal: Principal, department: str | None, today: date) -> dict[str, dict]:
    """The running cases by the warning they show today, and those counted over an unknown year.
    The warnings' branches partition the running cases: calm = running − yellow − red (the calm
    branches' OR would visit the table)."""
    base = scope_to_department(Application.all(), principal)
    if department:
        base = base.filter(department_code=department)
    running = base.filter(status__in=list(RUNNING))
    # one pass over the running cases (an index-only scan), each count a filtered aggregate: four
    # queries side by side read the same rows four times (bench/dashboard.py)
    rows = await _grouped(
        running,
        n=Count("id"),
        yellow=Count("id", _filter=warning_filter("yellow", today)),
        red=Count("id", _filter=warning_filter("red", today)),
        uncertain=Count("id", _filter=Q(calendar_uncertain=True)),
    )

    def column(name: str) -> dict[str, dict]:
        return {code: {"department_code": code, "n": int(row[name] or 0)} for code, row in rows.items()}

    yellow, red, uncertain = column("yellow"), column("red"), column("uncertain")
    calm = {
        code: {"department_code": code, "n": int(row["n"] or 0) - yellow[code]["n"] - red[code]["n"]}
        for code, row in rows.items()
    }
    return {"open_by_warning": {"none": calm, "yellow": yellow, "red": red}, "uncertain": uncertain}
