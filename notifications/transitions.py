"""The outbox row's lifecycle, in one table: (from status, action) → to status.

Nothing else decides whether a row may move: every status change is one conditional UPDATE
(``notifications.repository``) whose WHERE names the action's source statuses (and, for a sender,
its attempt id), so a row whose status moved meanwhile is left alone and the caller learns it
lost the race. The tests walk the table (tests/test_notifications_transitions.py).

- ``claim``: a sender takes a due row for one attempt (a fresh attempt id and a lease); a row
  left ``sending`` by a sender that died is claimed again once its lease ran out
- ``send`` / ``skip``: delivered through a channel / no channel could (no grant, not following …)
- ``retry``: WeChat trouble or a rate limit: back to ``pending`` for a later attempt
- ``give_up``: a message WeChat will never accept, or the attempts are spent: ``dead``
- ``requeue``: an admin puts dead rows back with a fresh attempt budget
"""

from __future__ import annotations

STATUSES = ("pending", "sending", "sent", "skipped", "dead")

TRANSITIONS: dict[tuple[str, str], str] = {
    ("pending", "claim"): "sending",
    ("sending", "claim"): "sending",
    ("sending", "send"): "sent",
    ("sending", "skip"): "skipped",
    ("sending", "retry"): "pending",
    ("sending", "give_up"): "dead",
    ("dead", "requeue"): "pending",
}

ACTIONS = tuple(dict.fromkeys(action for _, action in TRANSITIONS))
# what a sender's attempt ends with (the row is then no longer its)
OUTCOMES = ("send", "skip", "retry", "give_up")


def sources(action: str) -> tuple[str, ...]:
    """The statuses ``action`` may start from, in table order."""
    found = tuple(source for source, name in TRANSITIONS if name == action)
    if not found:
        raise ValueError(f"no outbox transition {action!r}")
    return found


def target(action: str) -> str:
    """Where ``action`` leads (the same from every status it is allowed in)."""
    return TRANSITIONS[(sources(action)[0], action)]


def _check() -> None:
    for action in ACTIONS:
        if len({TRANSITIONS[(s, action)] for s in sources(action)}) != 1:
            raise RuntimeError(f"outbox action {action} leads to two statuses")
    unknown = {s for pair in TRANSITIONS for s in (pair[0], TRANSITIONS[pair])} - set(STATUSES)
    if unknown or set(OUTCOMES) - set(ACTIONS):
        raise RuntimeError(f"outbox table names unknown statuses or actions: {unknown}")


_check()
