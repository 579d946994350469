"""Rendering a case's supervised steps for the staff (the 办理环节 panel, the detail, the warning list)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from citizen_api import clock
from citizen_api.cases.deadlines import warning_on
from citizen_api.cases.models import Application, CaseStep
from citizen_api.cases.repository import steps as repo
from citizen_api.cases.schemas_steps import STEP_STATE_TEXT, CaseSteps, CaseStepView, StepHolder
from citizen_api.security.principal import ADMIN, APPROVER, WINDOW, Principal
from citizen_api.users import service as users

HOLDER_ROLES = (WINDOW, APPROVER)


def step_warning(step: CaseStep, case_status: str, today: date) -> str:
    """The warning an open step shows: from its dates while the case runs, frozen while suspended."""
    if step.state != repo.OPEN:
        return "none"
    if case_status == "suspended":
        return step.warning
    if case_status != "accepted" and step.code != "deliver":
        return "none"
    return warning_on(today, step.limit_on, step.yellow_on)


def view(step: CaseStep, case_status: str, names: dict[int, str], today: date) -> CaseStepView:
    overdue = step.overdue
    if step.state == repo.OPEN and step.limit_on is not None:
        overdue = today > step.limit_on
    return CaseStepView(
        seq=step.seq,
        code=step.code,
        name=step.name,
        post=step.post,
        days=step.days,
        state=step.state,
        state_text=STEP_STATE_TEXT.get(step.state, step.state),
        holder_id=step.holder_id,
        holder_name=names.get(step.holder_id) if step.holder_id else None,
        started_on=step.started_on,
        limit_on=step.limit_on,
        limit_uncertain=step.limit_uncertain,
        finished_on=step.finished_on,
        finished_by_name=names.get(step.finished_by) if step.finished_by else None,
        days_used=step.days_used,
        overdue=overdue,
        warning=step_warning(step, case_status, today),
        note=step.note,
    )


def people_of(steps: Iterable[CaseStep]) -> set[int]:
    return {i for s in steps for i in (s.holder_id, s.finished_by) if i}


async def step_views(case: Application) -> list[CaseStepView]:
    rows = await repo.steps_of(case.id)
    names = await users.staff_names(people_of(rows))
    today = clock.today()
    return [view(step, case.status, names, today) for step in rows]


def handles_department(principal: Principal, case: Application) -> bool:
    """A window clerk or approver of the case's department (who may hold its steps)."""
    return principal.role in HOLDER_ROLES and principal.department == case.department_code


def may_handle(principal: Principal, case: Application, step: CaseStep | None) -> bool:
    """Who may complete or hand over the open step: its holder, an approver of the case's department
    (the posts' supervisor in the hall), or an admin."""
    if step is None:
        return False
    if principal.role == ADMIN:
        return True
    if not handles_department(principal, case):
        return False
    return principal.user_id == step.holder_id or principal.role == APPROVER


async def case_steps(principal: Principal, case: Application) -> CaseSteps:
    rows = await repo.steps_of(case.id)
    staff = await users.department_staff(case.department_code)
    names = await users.staff_names(people_of(rows))
    today = clock.today()
    views = [view(step, case.status, names, today) for step in rows]
    current_row = next((s for s in rows if s.state == repo.OPEN), None)
    actions: list[str] = []
    if may_handle(principal, case, current_row):
        if case.status == "accepted" and current_row is not None and current_row.code != "deliver":
            actions.append("complete")
        actions.append("reassign")
    return CaseSteps(
        case_id=case.id,
        number=case.number,
        status=case.status,
        steps=views,
        current=next((v for v in views if v.state == repo.OPEN), None),
        holders=[
            StepHolder(id=a.id, name=a.display_name or a.username or str(a.id), role=a.role) for a in staff
        ],
        actions=actions,  # type: ignore[arg-type]
    )
