"""电子监察 per step: the periodic job that warns a step's holder and supervisors, and the list.

``run_step_warnings(ctx)`` (registered in ``citizen_api.domains`` beside the case warning job): an
open step of a running case turns yellow when its limit is the next working day or today, red once
past it. Each level is told once per step — ``warned`` moves by a conditional UPDATE, and each outbox
row has a dedupe key — as a staff message (``case.step_warning``) to the holder, the department's
approvers (the posts' supervisors in the hall) and the centre's supervisors. Running it twice, or
two workers at once, tells nobody twice. The case deadline and its own warnings are not touched.
"""

from __future__ import annotations

from datetime import date

import structlog

from citizen_api import clock
from citizen_api.cases import step_views
from citizen_api.cases.deadlines import warning_on
from citizen_api.cases.models import CaseStep
from citizen_api.cases.repository import steps as repo
from citizen_api.cases.schemas_steps import StepWarningQuery, StepWarningView
from citizen_api.cases.stats_series import department_of
from citizen_api.catalog import service as catalog
from citizen_api.http import Page
from citizen_api.jobs import JobContext
from citizen_api.security.principal import APPROVER, Principal
from citizen_api.users import service as users
from notifications import outbox

log = structlog.get_logger("onetrip.supervision")

BATCH = 500
_RANK = {"none": 0, "yellow": 1, "red": 2}
_LEVEL_TEXT = {"yellow": "即将到期（黄灯预警）", "red": "已超期（红灯预警）"}


async def run_step_warnings(ctx: JobContext) -> int:
    """Tell today's step warnings; returns how many steps reached a new level in this run."""
    today = clock.to_local(ctx.now).date()
    told = 0
    while True:
        async with ctx.atomic():
            batch = await repo.steps_to_warn(today, BATCH)
            supervisors = await users.supervisor_ids()
            approvers: dict[str, list[int]] = {}
            for step in batch:
                told += await _tell(step, today, supervisors, approvers)
        if len(batch) < BATCH:
            break
    if told:
        log.info("step warnings", told=told, day=today.isoformat())
    return told


async def _approvers(department: str, cache: dict[str, list[int]]) -> list[int]:
    if department not in cache:
        cache[department] = [a.id for a in await users.department_staff(department) if a.role == APPROVER]
    return cache[department]


async def _tell(step: CaseStep, today: date, supervisors: list[int], approvers: dict[str, list[int]]) -> int:
    level = warning_on(today, step.limit_on, step.yellow_on)
    if _RANK[level] <= _RANK.get(step.warned, 0) or not await repo.store_warned(step.id, step.warned, level):
        return 0
    case = step.application
    names = await users.staff_names([step.holder_id] if step.holder_id else [])
    holder = names.get(step.holder_id or 0, "未指定")
    payload = {
        "number": case.number,
        "item_name": case.item_name,
        "step_code": step.code,
        "step_name": step.name,
        "post": step.post,
        "holder": holder,
        "level": level,
        # the message's date is the step's own limit; the case deadline travels beside it
        "deadline": step.limit_on.isoformat() if step.limit_on else None,
        "case_deadline": case.deadline.isoformat() if case.deadline else None,
        "department_code": case.department_code,
        "note": f"办件 {case.number}（{case.item_name}）「{step.name}」环节{_LEVEL_TEXT[level]}"
        f"，承办人 {holder}",
    }
    told = [step.holder_id] if step.holder_id else []
    told += await _approvers(case.department_code, approvers) + supervisors
    for user_id in dict.fromkeys(told):
        await outbox.enqueue(
            user_id,
            "case.step_warning",
            payload,
            audience="staff",
            dedupe_key=f"case.step_warning:{step.id}:{level}:{user_id}",
        )
    return 1


async def list_step_warnings(principal: Principal, query: StepWarningQuery) -> Page[StepWarningView]:
    if query.department:
        department_of(principal, query.department)  # another department's: 403 FORBIDDEN
    today = clock.today()
    total, rows = await repo.warning_page(
        principal, today, query.level, query.department, query.offset, query.size
    )
    names = await users.staff_names(step_views.people_of(rows))
    departments = await catalog.department_names()
    items = [
        StepWarningView(
            case_id=row.application.id,
            number=row.application.number,
            item_name=row.application.item_name,
            status=row.application.status,
            department_code=row.department_code,
            department_name=departments.get(row.department_code),
            deadline=row.application.deadline,
            step=step_views.view(row, row.application.status, names, today),
        )
        for row in rows
    ]
    return Page[StepWarningView](total=total, items=items)
