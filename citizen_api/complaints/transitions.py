"""The complaint lifecycle, in one table: (from status, action) → (to status, roles).

A citizen files a complaint (``open``); a supervisor (or admin) answers it once (``replied``). The status
list and the schema ``Literal`` come from this table; the answer is a conditional UPDATE from ``open``.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.security.principal import ADMIN, SUPERVISOR

OPEN = "open"
REPLIED = "replied"
INITIAL = OPEN  # a filed complaint


@dataclass(frozen=True)
class Transition:
    to: str
    roles: frozenset[str]


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (OPEN, "reply"): Transition(REPLIED, frozenset({SUPERVISOR, ADMIN})),
}

STATUSES: tuple[str, ...] = tuple(
    dict.fromkeys([INITIAL, *(s for (source, _), t in TRANSITIONS.items() for s in (source, t.to))])
)


def target(status: str, action: str, role: str) -> str | None:
    """Where ``action`` by ``role`` leads from ``status``; None when the table does not allow it."""
    transition = TRANSITIONS.get((status, action))
    if transition is None or role not in transition.roles:
        return None
    return transition.to


def roles_for(action: str) -> frozenset[str]:
    return frozenset(r for (_, name), t in TRANSITIONS.items() if name == action for r in t.roles)
