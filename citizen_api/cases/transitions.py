"""The case lifecycle of the contract, in one table: (from status, action) → (to status, roles).

Nothing else decides whether a transition is allowed; ``workflow.apply`` reads this table, and the
tests walk it (every pair not listed is refused with 409 INVALID_TRANSITION, every role not listed
with 403).
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.security.principal import ADMIN, APPROVER, CITIZEN, WINDOW

STATUSES = (
    "submitted",
    "supplement_required",
    "accepted",
    "suspended",
    "approved",
    "rejected",
    "delivered",
    "not_accepted",
    "withdrawn",
)

STATUS_TEXT = {
    "submitted": "已提交，待受理",
    "supplement_required": "需补正材料",
    "accepted": "已受理，办理中",
    "suspended": "办理暂停（听证、检测、专家评审等，不计时限）",
    "approved": "已办结（准予）",
    "rejected": "已办结（不予许可）",
    "delivered": "结果已送达",
    "not_accepted": "不予受理",
    "withdrawn": "已撤回",
}

INITIAL = "submitted"  # a filed case
OPEN = ("submitted", "supplement_required", "accepted", "suspended")
RUNNING = ("accepted", "suspended")  # accepted, the working-day clock is on (or stopped while suspended)
DONE = ("approved", "rejected")  # decided: the result exists and may be delivered
HAS_RESULT = (*DONE, "delivered")  # decided, delivered or not: the case may be rated
FINISHED = ("delivered", "not_accepted", "withdrawn")  # closed: nothing more happens to the case


@dataclass(frozen=True)
class Transition:
    to: str
    roles: frozenset[str]
    event: str  # outbox event for the citizen


def _t(to: str, roles: set[str], event: str | None = None) -> Transition:
    return Transition(to, frozenset(roles), event or f"case.{to}")


_WINDOW_SIDE = {WINDOW, ADMIN}
_APPROVER_SIDE = {APPROVER, ADMIN}

TRANSITIONS: dict[tuple[str, str], Transition] = {
    ("submitted", "accept"): _t("accepted", {WINDOW, APPROVER, ADMIN}),
    ("submitted", "request_supplement"): _t("supplement_required", _WINDOW_SIDE),
    ("submitted", "not_accept"): _t("not_accepted", _WINDOW_SIDE),
    ("submitted", "withdraw"): _t("withdrawn", {CITIZEN}),
    ("supplement_required", "supplement"): _t("submitted", {CITIZEN}),
    ("supplement_required", "withdraw"): _t("withdrawn", {CITIZEN}),
    ("accepted", "approve"): _t("approved", _APPROVER_SIDE),
    ("accepted", "reject"): _t("rejected", _APPROVER_SIDE),
    ("accepted", "suspend"): _t("suspended", _APPROVER_SIDE),
    ("suspended", "resume"): _t("accepted", _APPROVER_SIDE, "case.resumed"),
    ("approved", "deliver"): _t("delivered", _WINDOW_SIDE),
    ("rejected", "deliver"): _t("delivered", _WINDOW_SIDE),
}

ACTIONS = tuple(sorted({action for _, action in TRANSITIONS}))
# the staff's actions of the table (a staff detail's ``staff_actions``), in table order
STAFF_ACTIONS = tuple(dict.fromkeys(a for (_, a), t in TRANSITIONS.items() if t.roles - {CITIZEN}))
# what a citizen may be offered in a case's ``actions`` (contract): the citizen's transitions of the
# table, then the steps other domains own (rating, the postal address of the result, a complaint)
CITIZEN_ACTIONS = (
    *sorted({a for (_, a), t in TRANSITIONS.items() if CITIZEN in t.roles}),
    "rate",
    "set_delivery",
    "complain",
)


def roles_for(action: str) -> frozenset[str]:
    """Every role that may take ``action`` from some status."""
    roles: set[str] = set()
    for (_, name), transition in TRANSITIONS.items():
        if name == action:
            roles |= transition.roles
    return frozenset(roles)


def target_of(action: str) -> str:
    """Where ``action`` leads (the same from every status it is allowed in)."""
    return next(t.to for (_, name), t in TRANSITIONS.items() if name == action)


def sources_of(action: str) -> tuple[str, ...]:
    """The statuses ``action`` may start from."""
    return tuple(source for (source, name) in TRANSITIONS if name == action)


def allowed_from(status: str, role: str | None = None) -> list[str]:
    """Actions possible from ``status`` (for ``role`` when given), in table order."""
    return [
        action
        for (source, action), transition in TRANSITIONS.items()
        if source == status and (role is None or role in transition.roles)
    ]
