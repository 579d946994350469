"""The authorisation lifecycle, in one table: the principal revokes an active authorisation.

Expiry is not a status: an authorisation past its ``until`` day is out of force by the clock
(``service.standing``), so nothing has to run at midnight for it to stop working.
"""

from __future__ import annotations

ACTIVE = "active"
REVOKED = "revoked"
INITIAL = ACTIVE

# (from status, action) → to status; only the principal (a citizen) acts on it
TRANSITIONS: dict[tuple[str, str], str] = {
    (ACTIVE, "revoke"): REVOKED,
}

STATUSES: tuple[str, ...] = tuple(
    dict.fromkeys([INITIAL, *(s for (source, _), to in TRANSITIONS.items() for s in (source, to))])
)
# what the answers show: the stored status, or ``expired`` for an active one past its day
SHOWN_STATUSES: tuple[str, ...] = (*STATUSES, "expired")


def sources_of(action: str) -> list[str]:
    return [source for (source, name) in TRANSITIONS if name == action]


def target(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))
