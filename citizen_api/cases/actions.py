"""What each staff action changes on a case besides its status (the clock, the decision …).

Each function gets the case (already checked against the transition table) and the request body,
and returns the timeline note, the columns to set in the conditional UPDATE, and what to do after
it in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from citizen_api import clock
from citizen_api.cases import deadlines, hooks, steps, supervision
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error


@dataclass
class Effect:
    note: str
    changes: dict[str, Any]
    after: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)
    # the status stays: the hooks recorded the step (posted results are delivered when signed for)
    stays: bool = False


_CLOCK_CLEARED = {
    "accepted_on": None,
    "deadline": None,
    "yellow_on": None,
    "calendar_uncertain": False,
    "suspended_on": None,
    "suspended_days": 0,
    "warning": "none",
}


def _uncertain_note(uncertain: bool) -> str:
    return "（期限跨越尚未公布节假日安排的年度，按双休日推算，待日历公布后核对）" if uncertain else ""


async def accept(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    today = clock.today()
    clk = await deadlines.on_accept(today, case.promised_days, case.time_unit, settings)
    if case.promised_days <= 0:
        note = f"已受理，即办件，当日办结（{clk.deadline.isoformat()}）"
    else:
        note = f"已受理，承诺 {case.promised_days} 个工作日内办结，期限 {clk.deadline.isoformat()}"
    note += _uncertain_note(clk.uncertain)
    if body is not None and body.note:
        note += f"；{body.note}"
    changes = {
        **_CLOCK_CLEARED,
        "accepted_on": today,
        "deadline": clk.deadline,
        "yellow_on": clk.yellow_on,
        "calendar_uncertain": clk.uncertain,
    }
    holder_id = getattr(body, "step_holder_id", None)
    if holder_id is not None:
        await steps.checked_holder(holder_id, case, "step_holder_id")
    after = [
        lambda: repo.accept_materials(case.id),
        # 电子监察 per step: the guide's steps are recorded and the first one starts today
        lambda: steps.on_accept(case, actor, holder_id),
    ]
    if clk.uncertain:
        after.append(lambda: supervision.warn_uncertain(case))
    return Effect(note, changes, after)


async def request_supplement(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    table = {m.id: m for m in await catalog.version_materials(case.item_version_id)}
    unknown = [m for m in body.missing if m not in table]
    if unknown:
        raise validation_error({f"body.missing.{m}": "不是该事项的申请材料" for m in unknown})
    missing = sorted(set(body.missing) | set(case.missing or []), key=lambda m: (table[m].position, m))
    names = "、".join(table[m].name for m in missing if m in body.missing)
    due = await deadlines.materials_due(
        clock.today(), settings.supplement_due_working_days, settings.supplement_reminder_working_days
    )
    note = f"请一次性补正以下材料：{names}，补正截止日期 {due.due.isoformat()}"
    if due.uncertain:
        note += "（截止日期跨越尚未公布节假日安排的年度，按双休日推算，待日历公布后核对）"
    note += f"；{body.note}" if body.note else ""
    # 补正 restarts the clock: the next acceptance counts anew
    return Effect(note, {**_CLOCK_CLEARED, "missing": missing, **due_columns(due)})


def due_columns(due: deadlines.MaterialsDue) -> dict[str, Any]:
    """The columns of a new due date for owed materials (its reminder not yet sent)."""
    return {
        "missing_due": due.due,
        "missing_due_uncertain": due.uncertain,
        "missing_remind_on": due.remind_on,
        "missing_reminded": False,
    }


async def not_accept(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    return Effect(body.reason, {"finished_at": clock.now()})


async def suspend(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    today = clock.today()
    # the warning freezes with the clock
    frozen = deadlines.warning_on(today, case.deadline, case.yellow_on)
    after = [lambda: steps.on_suspend(case)]  # the open step's warning freezes too
    return Effect(f"暂停计时：{body.reason}", {"suspended_on": today, "warning": frozen}, after)


async def resume(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    today = clock.today()
    suspended_on = case.suspended_on or today
    if case.deadline is None:
        raise ApiError(409, "INVALID_TRANSITION", "办件没有办理期限，不能恢复计时")
    clk, paused = await deadlines.on_resume(
        case.deadline, suspended_on, today, case.promised_days, case.time_unit, settings
    )
    uncertain = case.calendar_uncertain or clk.uncertain
    note = f"恢复办理，暂停期间 {paused} 个工作日不计入时限，期限顺延至 {clk.deadline.isoformat()}"
    note += _uncertain_note(clk.uncertain)
    changes = {
        "suspended_on": None,
        "suspended_days": case.suspended_days + paused,
        "deadline": clk.deadline,
        "yellow_on": clk.yellow_on,
        "calendar_uncertain": uncertain,
    }
    after = [lambda: steps.on_resume(case, suspended_on)]  # the open step's limit moves as the deadline
    if uncertain:
        after.append(lambda: supervision.warn_uncertain(case))
    return Effect(note, changes, after)


async def _decision(case: Application, note: str) -> dict[str, Any]:
    today = clock.today()
    used = None
    if case.accepted_on is not None:
        counted, _ = await deadlines.working_days_between(case.accepted_on, today)
        used = max(0, counted - case.suspended_days)
    return {
        "decided_at": clock.now(),
        "decision_note": note,
        "on_time": None if case.deadline is None else today <= case.deadline,
        "working_days_used": used,
        "warning": "none",
    }


async def approve(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    if case.missing:
        owed = await catalog.materials_by_id(case.missing)
        raise ApiError(
            409,
            "MATERIALS_OUTSTANDING",
            "容缺材料尚未补齐，暂不能办结：" + "、".join(m.name for m in owed.values()),
            {
                "missing": [{"id": m.id, "name": m.name} for m in owed.values()],
                "missing_due": case.missing_due.isoformat() if case.missing_due else None,
            },
        )
    note = body.note if body is not None else ""
    after = [
        lambda: repo.accept_materials(case.id),
        lambda: steps.on_decision(case, actor),  # the steps up to the decision are done
        # issue 17: e.g. the licences domain issues the result's e-licence (same unit of work)
        lambda: hooks.run_approve_hooks(case, actor, settings),
    ]
    return Effect(note or "准予办理", await _decision(case, note), after)


async def reject(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    # e.g. 许可公示 publishes the refusal of a business item (same unit of work)
    after = [lambda: steps.on_decision(case, actor), lambda: hooks.run_reject_hooks(case, actor, settings)]
    return Effect(f"不予许可：{body.reason}", await _decision(case, body.reason), after)


async def deliver(case: Application, body: Any, settings, actor: Any = None) -> Effect:
    if body.channel == "post" and not body.waybill:
        raise validation_error({"body.waybill": "邮寄送达须填写运单号"})
    if body.channel == "post" and case.delivery_channel == "post" and case.delivery_waybill:
        raise ApiError(409, "ALREADY_MAILED", "办理结果已交寄，签收后办件自动转为已送达")
    if body.channel == "locker" and not body.locker:
        raise validation_error({"body.locker": "存入自助柜须选择取件柜"})
    hooked = await hooks.run_deliver_hooks(case, body, actor)
    if body.channel == "point":
        # the points' hook stored the delivery, the timeline entry and the citizen's message; the case
        # becomes delivered when the point's 代办员 hands the result over to the villager
        return Effect("办理结果已送至便民服务点", {}, stays=True)
    if body.channel == "locker":
        # the lockers' hook stored the deposit, the timeline entry and the pickup code's message; the
        # case becomes delivered when the citizen opens the compartment with the code
        return Effect(f"办理结果已存入自助取件柜（{body.locker}）", {}, stays=True)
    if body.channel == "post":
        # the delivery hook stored the shipment, the timeline entry and the citizen's message; the
        # case becomes delivered when kuaidi100 reports it signed (state 3), not when it leaves
        company = (body.company or "ems").upper()
        return Effect(f"办理结果已交寄（{company} {body.waybill}）", {}, stays=True)
    changes: dict[str, Any] = {
        "finished_at": clock.now(),
        "delivery_channel": body.channel,
        "delivery_company": None,
        "delivery_waybill": None,
        **hooked,
    }
    note = "办理结果已在窗口领取"
    if body.note:
        note += f"；{body.note}"
    return Effect(note, changes, [lambda: steps.on_delivered(case, actor.user_id if actor else None)])


EFFECTS = {
    "accept": accept,
    "request_supplement": request_supplement,
    "not_accept": not_accept,
    "suspend": suspend,
    "resume": resume,
    "approve": approve,
    "reject": reject,
    "deliver": deliver,
}
