"""The two 好差评 lifecycles, one table each: (from status, action) → (to status, roles).

- a 差评's rectification (整改): open → visited (回访) → rectified (整改) → closed (the citizen's verdict,
  or the follow-up period ran out); the national rule (国办发〔2019〕51号: every real-name 差评 gets a
  return visit): no rectification before the return visit is recorded (every rating is real-name here:
  cases and bookings need the citizen's real-name profile);
- an appeal (申诉) against a rating: pending → upheld | dismissed, decided by a supervisor (or admin).

The status lists and the schema ``Literal``s come from these tables; every status change goes through
:func:`target` (then a conditional UPDATE from that status), and the tests walk both tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.security.principal import ADMIN, APPROVER, CITIZEN, SUPERVISOR, WINDOW

SYSTEM = "system"  # the periodic job (no principal)

# Rectification statuses
OPEN = "open"
VISITED = "visited"  # the return visit (回访) was made
RECTIFIED = "rectified"
CLOSED = "closed"  # the citizen judged the rectification, or the follow-up period ran out

# Appeal statuses
PENDING = "pending"
UPHELD = "upheld"
DISMISSED = "dismissed"


@dataclass(frozen=True)
class Transition:
    to: str
    roles: frozenset[str]


def _t(to: str, *roles: str) -> Transition:
    return Transition(to, frozenset(roles))


_DEPARTMENT = (WINDOW, APPROVER, ADMIN)
_OVERSIGHT = (SUPERVISOR, ADMIN)

RECTIFICATION: dict[tuple[str, str], Transition] = {
    (OPEN, "return_visit"): _t(VISITED, *_DEPARTMENT),
    (VISITED, "rectify"): _t(RECTIFIED, *_DEPARTMENT),
    (RECTIFIED, "verdict"): _t(CLOSED, CITIZEN),
    (RECTIFIED, "expire"): _t(CLOSED, SYSTEM),  # the citizen did not judge it in time
}
RECTIFICATION_INITIAL = OPEN  # a 差评 opens one

APPEAL: dict[tuple[str, str], Transition] = {
    (PENDING, "uphold"): _t(UPHELD, *_OVERSIGHT),
    (PENDING, "dismiss"): _t(DISMISSED, *_OVERSIGHT),
}
APPEAL_INITIAL = PENDING  # a department files one

TEXT = {
    OPEN: "待回访",
    VISITED: "已回访",
    RECTIFIED: "已整改",
    CLOSED: "已办结",
    PENDING: "待审核",
    UPHELD: "申诉成立",
    DISMISSED: "申诉不成立",
}


def statuses(table: dict[tuple[str, str], Transition], initial: str) -> tuple[str, ...]:
    """Every status of ``table``: the initial one, then in the order the table reaches them."""
    found = [initial]
    for (source, _), transition in table.items():
        for status in (source, transition.to):
            if status not in found:
                found.append(status)
    return tuple(found)


RECTIFICATION_STATUSES = statuses(RECTIFICATION, RECTIFICATION_INITIAL)
APPEAL_STATUSES = statuses(APPEAL, APPEAL_INITIAL)


def target(table: dict[tuple[str, str], Transition], status: str, action: str, role: str) -> str | None:
    """Where ``action`` by ``role`` leads from ``status``; None when the table does not allow it."""
    transition = table.get((status, action))
    if transition is None or role not in transition.roles:
        return None
    return transition.to


def sources(table: dict[tuple[str, str], Transition], action: str) -> tuple[str, ...]:
    """The statuses ``action`` may start from (the condition of its UPDATE)."""
    return tuple(source for (source, name) in table if name == action)


def allowed_from(table: dict[tuple[str, str], Transition], status: str) -> list[str]:
    """The actions ``table`` allows from ``status``, in table order."""
    return [action for (source, action) in table if source == status]
