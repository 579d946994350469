"""电子监察 per step: a case's supervised steps, from acceptance to delivery.

The item version's guide lists the steps (``catalog.version_steps``: code, name, limit in working
days, post). When a case is accepted each step gets a record and the first one starts that day,
held by the accepting clerk (or the one named). A step's limit counts its working days from the
working day after it started, like the case deadline; a suspension (暂停计时) moves the open step's
limit by the working days suspended, as it moves the case deadline. ``POST …/steps/complete``
finishes the open step and starts the next; the decision (approve, reject) finishes the open step
and skips those not reached, and starts the delivery step (code ``deliver``) if the guide has one,
which the delivery of the result finishes. The case deadline is untouched by all of this.
"""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import deadlines, step_views
from citizen_api.cases.models import Application, CaseStep
from citizen_api.cases.repository import cases as cases_repo
from citizen_api.cases.repository import steps as repo
from citizen_api.cases.schemas_steps import CaseSteps, CompleteStep, StepHolderChange
from citizen_api.cases.step_transitions import step_move
from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import DELIVERY_STEP_CODE
from citizen_api.errors import ApiError, not_found
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


async def limits(start: date, days: int) -> tuple[date, date, bool]:
    """(limit, first yellow day, uncertain) of a step started on ``start``: yellow when the limit is
    the next working day or today, as the case's yellow card counts working days left."""
    limit, uncertain = (start, False) if days <= 0 else await deadlines.add_working_days(start, days)
    yellow, yellow_uncertain = await deadlines.working_day_before(limit, 1)
    return limit, max(yellow, start), uncertain or yellow_uncertain


async def checked_holder(user_id: int, case: Application, field: str = "next_holder_id") -> int:
    """A window clerk or approver of the case's department, active; else 422 HOLDER_INVALID."""
    account = await users.staff_account(user_id)
    if (
        account is None
        or not account.is_active
        or account.role not in step_views.HOLDER_ROLES
        or account.department_code != case.department_code
    ):
        raise ApiError(
            422,
            "HOLDER_INVALID",
            "承办人须为本办件所属部门在岗的窗口或审批工作人员",
            {"fields": {f"body.{field}": "承办人须为本部门在岗的窗口或审批工作人员"}, "user_id": user_id},
        )
    return user_id


async def _move(step: CaseStep, action: str, **values) -> bool:
    """Apply ``action`` of the step table if the step is still where it starts from."""
    source, to = step_move(action)
    if to != source:
        values["state"] = to
    if not await repo.move_step(step.id, source, **values):
        return False
    for name, value in values.items():
        setattr(step, name, value)
    return True


async def _start(step: CaseStep, holder_id: int | None, today: date) -> None:
    limit, yellow, uncertain = await limits(today, step.days)
    await _move(
        step,
        "start",
        holder_id=holder_id,
        started_on=today,
        limit_on=limit,
        yellow_on=yellow,
        limit_uncertain=uncertain,
    )


async def _finish(step: CaseStep, by: int | None, today: date, note: str = "") -> bool:
    counted, _ = await deadlines.working_days_between(step.started_on or today, today)
    return await _move(
        step,
        "finish",
        finished_on=today,
        finished_by=by,
        days_used=max(0, counted - step.suspended_days),
        overdue=step.limit_on is not None and today > step.limit_on,
        note=note[:200],
    )


# -- the case's transitions (called by cases.actions in the same unit of work) -------------------


async def on_accept(case: Application, actor: Principal, holder_id: int | None) -> None:
    guide_steps = await catalog.version_steps(case.item_version_id)
    if not guide_steps or await repo.has_steps(case.id):
        return
    rows = [
        {"seq": seq, "code": s.code, "name": s.name, "post": s.post, "days": s.days}
        for seq, s in enumerate(guide_steps, start=1)
    ]
    await repo.create_steps(case.id, case.department_code, rows)
    first = (await repo.steps_of(case.id))[0]
    if holder_id is None and step_views.handles_department(actor, case):
        holder_id = actor.user_id  # the accepting clerk; an admin accepting names no holder of the post
    await _start(first, holder_id, clock.today())


async def on_suspend(case: Application) -> None:
    step = await repo.open_step(case.id)
    if step is not None:  # the warning freezes with the clock
        frozen = step_views.step_warning(step, "accepted", clock.today())
        await _move(step, "freeze", warning=frozen)


async def on_resume(case: Application, suspended_on: date) -> None:
    step = await repo.open_step(case.id)
    if step is None or step.limit_on is None:
        return
    today = clock.today()
    paused, uncertain = await deadlines.working_days_between(suspended_on, today)
    if paused == 0:
        return
    moved, moved_uncertain = await deadlines.add_working_days(step.limit_on, paused)
    yellow, yellow_uncertain = await deadlines.working_day_before(moved, 1)
    await _move(
        step,
        "extend",
        limit_on=moved,
        yellow_on=max(yellow, step.started_on or today),
        limit_uncertain=step.limit_uncertain or uncertain or moved_uncertain or yellow_uncertain,
        suspended_days=step.suspended_days + paused,
        warning="none",
    )


async def on_decision(case: Application, actor: Principal) -> None:
    """Approve or reject: the open step is done, the steps not reached are skipped, and the delivery
    step starts, held by whoever held the first step (the window that accepted the case)."""
    rows = await repo.steps_of(case.id)
    if not rows:
        return
    today = clock.today()
    for step in rows:
        if step.state == repo.OPEN and step.code != DELIVERY_STEP_CODE:
            await _finish(step, actor.user_id, today)
    source, skipped = step_move("skip")
    await repo.skip_steps(case.id, source, skipped, today, DELIVERY_STEP_CODE)
    delivery = next((s for s in rows if s.code == DELIVERY_STEP_CODE and s.state == repo.PENDING), None)
    if delivery is not None:
        await _start(delivery, rows[0].holder_id or actor.user_id, today)


async def on_delivered(case: Application, actor_id: int | None) -> None:
    step = await repo.open_step(case.id)
    if step is not None and step.code == DELIVERY_STEP_CODE:
        await _finish(step, actor_id or step.holder_id, clock.today())


# -- the staff's step actions -------------------------------------------------------------------


async def _case(principal: Principal, case_id: int) -> Application:
    case = await cases_repo.find_case(case_id, lock=True)
    if case is None or not principal.may_see_department(case.department_code):
        raise not_found("未找到该办件")
    return case


async def _held_step(principal: Principal, case: Application) -> CaseStep:
    step = await repo.open_step(case.id)
    if step is None:
        raise ApiError(409, "NO_OPEN_STEP", "该办件当前没有办理中的监察环节", {"status": case.status})
    if not step_views.may_handle(principal, case, step):
        names = await users.staff_names([step.holder_id] if step.holder_id else [])
        raise ApiError(
            403,
            "STEP_NOT_HELD",
            f"本环节由{names.get(step.holder_id or 0, '他人')}承办，仅承办人、本部门审批人员或管理员可以操作",
            {"holder_id": step.holder_id},
        )
    return step


async def steps_of_case(principal: Principal, case_id: int) -> CaseSteps:
    case = await cases_repo.find_case(case_id)
    if case is None or not principal.may_see_department(case.department_code):
        raise not_found("未找到该办件")
    return await step_views.case_steps(principal, case)


async def complete(principal: Principal, case_id: int, body: CompleteStep, request_id: str = "") -> CaseSteps:
    case = await _case(principal, case_id)
    if case.status != "accepted":
        raise ApiError(
            409,
            "CASE_NOT_IN_PROGRESS",
            "办件不在办理中（已受理且未暂停计时），不能完成环节",
            {"status": case.status},
        )
    step = await _held_step(principal, case)
    if step.code == DELIVERY_STEP_CODE:
        raise ApiError(409, "NO_OPEN_STEP", "送达环节在送达办理结果时完成", {"status": case.status})
    rows = await repo.steps_of(case.id)
    following = next((s for s in rows if s.seq > step.seq and s.state == repo.PENDING), None)
    starts = following is not None and following.code != DELIVERY_STEP_CODE
    holder_id = None
    if starts:
        holder_id = await checked_holder(body.next_holder_id or principal.user_id, case)
    elif body.next_holder_id is not None:
        await checked_holder(body.next_holder_id, case)  # a bad id is refused even when unused
    today = clock.today()
    if not await _finish(step, principal.user_id, today, body.note):
        raise ApiError(409, "NO_OPEN_STEP", "该环节已由他人完成", {"status": case.status})
    note = f"「{step.name}」环节完成，用时 {step.days_used} 个工作日"
    if starts and following is not None:
        await _start(following, holder_id, today)
        note += f"，进入「{following.name}」环节（期限 {following.limit_on}）"
    await cases_repo.add_timeline(case.id, principal, case.status, case.status, note, kind="step")
    await audit.record(
        principal,
        "case.step_complete",
        "application",
        case.id,
        {"number": case.number, "step": step.code, "next": following.code if starts and following else None,
         "next_holder_id": holder_id, "note": body.note},
        request_id=request_id,
    )  # fmt: skip
    return await step_views.case_steps(principal, case)


async def reassign(
    principal: Principal, case_id: int, body: StepHolderChange, request_id: str = ""
) -> CaseSteps:
    case = await _case(principal, case_id)
    step = await _held_step(principal, case)
    await checked_holder(body.user_id, case, "user_id")
    await _give(step, case, body.user_id, principal, body.reason or "转交", request_id)
    return await step_views.case_steps(principal, case)


async def _give(
    step: CaseStep, case: Application, to_user_id: int, actor: Principal, reason: str, request_id: str = ""
) -> bool:
    before = step.holder_id
    if not await _move(step, "hand_over", holder_id=to_user_id):
        return False
    # the citizen reads the timeline too: the names and the reason stay in the staff's panel and the audit
    note = f"「{step.name}」环节更换承办人"
    await cases_repo.add_timeline(case.id, actor, case.status, case.status, note, kind="step")
    await audit.record(
        actor,
        "case.step_holder",
        "application",
        case.id,
        {"number": case.number, "step": step.code, "from": before, "to": to_user_id, "reason": reason[:200]},
        request_id=request_id,
    )
    return True


async def hand_over(
    from_user_id: int, to_user_id: int, *, reason: str, actor: Principal, only_case_ids=None
) -> list[int]:
    """Every open step held by ``from_user_id`` to ``to_user_id`` (AB角), audited per case; steps of
    another department than ``to_user_id``'s stay where they are."""
    account = await users.staff_account(to_user_id)
    if account is None or not account.is_active or account.role not in step_views.HOLDER_ROLES:
        raise ApiError(422, "HOLDER_INVALID", "承办人须为在岗的窗口或审批工作人员", {"user_id": to_user_id})
    moved: list[int] = []
    for step in await repo.open_steps_held_by(from_user_id, only_case_ids):
        if step.department_code != account.department_code:
            continue  # a backup holds steps of their own department only (HOLDER_INVALID otherwise)
        case = await cases_repo.case_by_id(step.application_id)
        if await _give(step, case, to_user_id, actor, reason):
            moved.append(case.id)
    return moved
