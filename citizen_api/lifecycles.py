"""A lifecycle as one table — (from status, action) → (to status, roles) — and the refusal each action
answers from a status the table does not list. Domains declare theirs (appointments, lockers, visits)
and change a status only by a conditional UPDATE from the table's sources (``sources``, ``target``).
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.errors import ApiError


@dataclass(frozen=True)
class Transition:
    to: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Refusal:
    """What an action answers from a status the table does not list for it (409, details.status)."""

    code: str
    message: str


@dataclass(frozen=True)
class Lifecycle:
    statuses: tuple[str, ...]  # the first is where every row starts
    text: dict[str, str]
    transitions: dict[tuple[str, str], Transition]
    refusals: dict[str, Refusal]

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(action for _, action in self.transitions))

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def sources(self, action: str) -> tuple[str, ...]:
        """Every status ``action`` may be taken from."""
        return tuple(source for source, name in self.transitions if name == action)

    def target(self, action: str) -> str:
        """Where ``action`` leads (the same from every status it is allowed in)."""
        return next(t.to for (_, name), t in self.transitions.items() if name == action)

    def roles_for(self, action: str) -> frozenset[str]:
        return frozenset().union(*(t.roles for (_, name), t in self.transitions.items() if name == action))

    def refuse(self, action: str, status: str, message: str | None = None) -> ApiError:
        refusal = self.refusals[action]
        return ApiError(409, refusal.code, message or refusal.message, {"status": status})


def transition(to: str, roles: frozenset[str] | set[str]) -> Transition:
    return Transition(to, frozenset(roles))
