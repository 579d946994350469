"""Applying a transition of the table: the check, the conditional UPDATE, and its three records.

Every transition — staff or citizen — goes through :func:`check` then :func:`commit`:
``UPDATE … WHERE id = ? AND status = <from>`` makes two clerks clicking at once safe (the second
finds no row and gets 409), and the same transaction appends the timeline entry, the citizen's
outbox row and the audit row.
"""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import bundle_port
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.transitions import (
    STATUS_TEXT,
    TRANSITIONS,
    Transition,
    allowed_from,
    roles_for,
    sources_of,
    target_of,
)
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from notifications import outbox


def invalid_transition(status: str, action: str) -> ApiError:
    to = target_of(action)
    return ApiError(
        409,
        "INVALID_TRANSITION",
        f"办件当前状态为「{STATUS_TEXT.get(status, status)}」，不能{_ACTION_TEXT.get(action, '进行此操作')}",
        {"from": status, "to": to, "action": action, "allowed": allowed_from(status)},
    )


_ACTION_TEXT = {
    "accept": "受理",
    "request_supplement": "要求补正",
    "not_accept": "不予受理",
    "withdraw": "撤回",
    "supplement": "补正材料",
    "approve": "办结（准予）",
    "reject": "办结（不予许可）",
    "suspend": "暂停计时",
    "resume": "恢复办理",
    "deliver": "送达",
}


def check(case: Application, action: str, actor: Principal) -> Transition:
    """403 when the role never takes this action; 409 when the case's status does not allow it."""
    if actor.role not in roles_for(action):
        raise ApiError(403, "FORBIDDEN", "您的角色无权进行此操作", {"action": action, "role": actor.role})
    transition = TRANSITIONS.get((case.status, action))
    if transition is None:
        raise invalid_transition(case.status, action)
    if actor.role not in transition.roles:
        raise ApiError(403, "FORBIDDEN", "您的角色无权进行此操作", {"action": action, "role": actor.role})
    return transition


async def commit(
    case: Application,
    action: str,
    transition: Transition,
    actor: Principal,
    *,
    note: str = "",
    changes: dict[str, Any] | None = None,
    request_id: str = "",
) -> Application:
    """Move ``case`` along ``transition`` if nobody moved it first; records timeline, outbox, audit."""
    source = case.status
    values = {**(changes or {}), "status": transition.to, "updated_at": clock.now()}
    if not await repo.move_status(case.id, [source], **values):
        current = await repo.case_by_id(case.id)
        raise invalid_transition(current.status, action)
    for name, value in values.items():
        setattr(case, name, value)
    await repo.add_timeline(case.id, actor, source, transition.to, note)
    await notify_citizen(case, transition.event, note)
    await audit.record(
        actor,
        f"case.{action}",
        "application",
        case.id,
        {"number": case.number, "from": source, "to": transition.to, "note": note[:500]},
        request_id=request_id,
    )
    return case


async def commit_by_system(
    case: Application, action: str, note: str, *, by: Principal | None = None, **changes: Any
) -> bool:
    """A transition of the table no principal takes (the courier reports the result signed for): from
    any status the table allows ``action`` in, as one conditional UPDATE, with its timeline entry.
    False when the case was not in such a status (moved already). ``by``: who the timeline names when
    someone outside the table's roles saw it happen (a village point's 代办员 handing the result over)."""
    source, to = case.status, target_of(action)
    values = {**changes, "status": to, "updated_at": clock.now()}
    if source not in sources_of(action) or not await repo.move_status(case.id, [source], **values):
        return False
    for name, value in values.items():
        setattr(case, name, value)
    await repo.add_timeline(case.id, by, source, to, note)
    return True


def _message(case: Application, note: str, missing: dict[int, Any]) -> dict[str, Any]:
    owed = set(case.missing or [])
    return {
        "number": case.number,
        "item_name": case.item_name,
        "status": case.status,
        "status_text": STATUS_TEXT.get(case.status, case.status),
        "note": note,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "missing": [m.name for m in missing.values() if m.id in owed],
        "missing_due": case.missing_due.isoformat() if case.missing and case.missing_due else None,
        # a bundle's child: the rules hold this message back, the bundle tells the citizen once
        **({"bundle_id": case.bundle_id} if case.bundle_id is not None else {}),
    }


async def notify_citizen(case: Application, event: str, note: str) -> None:
    missing = await catalog.materials_by_id(case.missing or [])
    await outbox.enqueue(case.applicant_id, event, _message(case, note, missing), audience="citizen")
    await bundle_port.child_changed(case, event, note)


async def notify_citizens(cases: list[tuple[Application, str]], event: str) -> None:
    """:func:`notify_citizen` of several cases (each with its note), their rows written together."""
    missing = await catalog.materials_by_id({m for case, _ in cases for m in case.missing or []})
    await outbox.enqueue_many(
        [(case.applicant_id, event, _message(case, note, missing), None) for case, note in cases],
        audience="citizen",
    )
    for case, note in cases:
        await bundle_port.child_changed(case, event, note)
