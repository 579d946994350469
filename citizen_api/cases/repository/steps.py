"""电子监察 per step: the step records of the cases (``CaseStep``), their warnings and their figures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tortoise.expressions import Q

from citizen_api.cases.models import CaseStep
from citizen_api.security.principal import Principal, scope_to_department

OPEN, PENDING, DONE, SKIPPED = "open", "pending", "done", "skipped"


async def create_steps(case_id: int, department_code: str, rows: list[dict[str, Any]]) -> None:
    await CaseStep.bulk_create(
        [CaseStep(application_id=case_id, department_code=department_code, **row) for row in rows]
    )


async def has_steps(case_id: int) -> bool:
    return await CaseStep.filter(application_id=case_id).exists()


async def steps_of(case_id: int) -> list[CaseStep]:
    return list(await CaseStep.filter(application_id=case_id).order_by("seq"))


async def open_step(case_id: int) -> CaseStep | None:
    return await CaseStep.filter(application_id=case_id, state=OPEN).order_by("seq").first()


async def move_step(step_id: int, expected_state: str, **values: Any) -> bool:
    """The step's columns set if it is still in ``expected_state``; False when another request moved it."""
    return await CaseStep.filter(id=step_id, state=expected_state).update(**values) == 1


async def skip_steps(case_id: int, source: str, to: str, finished_on: date, keep_code: str) -> None:
    """The steps the decision came before, ``source`` → ``to`` (the delivery step ``keep_code`` stays)."""
    await (
        CaseStep.filter(application_id=case_id, state=source)
        .exclude(code=keep_code)
        .update(state=to, finished_on=finished_on)
    )


async def open_steps_held_by(user_id: int, case_ids: Iterable[int] | None) -> list[CaseStep]:
    query = CaseStep.filter(holder_id=user_id, state=OPEN)
    if case_ids is not None:
        query = query.filter(application_id__in=list(case_ids))
    return list(await query.order_by("application_id").select_for_update())


# -- the warning job (step_warnings.run_step_warnings) --------------------------------------------

# a step's clock runs while the case is accepted; the delivery step's after the decision
_RUNNING = Q(application__status="accepted") | Q(
    code="deliver", application__status__in=["approved", "rejected"]
)


async def steps_to_warn(today: date, limit: int) -> list[CaseStep]:
    """Open steps of running (not suspended) cases that reached a level not told yet."""
    red = Q(limit_on__lt=today) & ~Q(warned="red")
    yellow = Q(yellow_on__lte=today, limit_on__gte=today, warned="none")
    return list(
        await CaseStep.filter(Q(state=OPEN) & _RUNNING & (red | yellow))
        .order_by("id")
        .limit(limit)
        .prefetch_related("application")
    )


async def store_warned(step_id: int, previous: str, level: str) -> bool:
    """The level told ``previous`` → ``level``; False when another run told it first."""
    return await CaseStep.filter(id=step_id, state=OPEN, warned=previous).update(warned=level) == 1


def _level(today: date, level: str) -> Q:
    """Open steps showing ``level`` today: from the dates while the case runs, frozen while suspended."""
    red = level == "red"
    running = Q(limit_on__lt=today) if red else Q(yellow_on__lte=today, limit_on__gte=today)
    return (_RUNNING & running) | Q(application__status="suspended", warning=level)


async def warning_page(
    principal: Principal, today: date, level: str | None, department: str | None, offset: int, size: int
) -> tuple[int, list[CaseStep]]:
    levels = [level] if level else ["red", "yellow"]
    shown = Q(*[_level(today, lv) for lv in levels], join_type="OR")
    query = scope_to_department(CaseStep.filter(Q(state=OPEN) & shown), principal)
    if department:
        query = query.filter(department_code=department)
    total = await query.count()
    rows = await query.order_by("limit_on", "id").offset(offset).limit(size).prefetch_related("application")
    return total, list(rows)


# -- the figures (step_stats) ---------------------------------------------------------------------


async def steps_in_period(start: date, end: date, department: str | None) -> list[CaseStep]:
    """Steps finished in [start, end], and the steps open now that started by ``end``."""
    finished = Q(state=DONE, finished_on__gte=start, finished_on__lte=end)
    still_open = Q(state=OPEN, started_on__lte=end)
    query = CaseStep.filter(finished | still_open)
    if department is not None:
        query = query.filter(department_code=department)
    return list(await query.order_by("id"))


async def steps_touching(start: date, end: date) -> list[CaseStep]:
    """Steps (not skipped) started or finished in [start, end]."""
    started = Q(started_on__gte=start, started_on__lte=end)
    finished = Q(finished_on__gte=start, finished_on__lte=end)
    return list(await CaseStep.filter(Q(started | finished) & ~Q(state=SKIPPED)).order_by("id"))
