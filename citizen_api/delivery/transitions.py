"""The shipment lifecycle in one table (as cases/transitions.py): what moves a shipment, and where to.

Two kinds of news move a shipment:

- a tracking report (kuaidi100's push, or our poll) in one of kuaidi100's states. :data:`STATES` is
  the order a parcel moves in: each state's rank and the shipment status it shows. A report takes the
  shipment over only forward (:func:`takes_over`): never back to an earlier rank, nothing after a
  final rank, whatever status the shipment shows (a parcel kuaidi100 "stopped tracking" may still be
  signed for);
- the tracking subscription's events, :data:`EVENTS`: ``(from status, event) → to status``.

Nothing else changes a shipment's status: ``repository.move_shipment`` applies an event as one
conditional UPDATE from the sources listed here, and ``tracking`` applies a report under the row
lock only when :func:`takes_over` says so. The schemas' enums are derived from these tables, and
tests/test_delivery_transitions.py walks both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# -- shipment statuses ------------------------------------------------------------------------------
SUBSCRIBE_PENDING = "subscribe_pending"  # tracking not yet accepted by kuaidi100 (retried by the job)
TRACKING = "tracking"
PROBLEM = "problem"
REFUSED = "refused"
RETURNED = "returned"
SIGNED = "signed"
ABORTED = "aborted"  # kuaidi100 stopped tracking and a re-subscription did not help
SUBSCRIBE_FAILED = "subscribe_failed"  # every attempt failed; staff track it by hand

STATUSES = (SUBSCRIBE_PENDING, TRACKING, PROBLEM, REFUSED, RETURNED, SIGNED, ABORTED, SUBSCRIBE_FAILED)
STATUS_TEXT = {
    SUBSCRIBE_PENDING: "待订阅跟踪",
    TRACKING: "运输中",
    SIGNED: "已签收",
    PROBLEM: "疑难件",
    RETURNED: "已退回",
    REFUSED: "已拒签",
    ABORTED: "已停止跟踪",
    SUBSCRIBE_FAILED: "订阅跟踪失败",
}
# still moving: the silence check and polling apply
LIVE_STATUSES = (TRACKING, PROBLEM, REFUSED)
# the parcel is back with someone: kuaidi100's abort changes nothing any more
ENDED = (SIGNED, RETURNED)

# -- tracking reports: kuaidi100's states in the order a parcel moves ------------------------------
CREATED = 0  # the rank of a shipment nothing was reported about yet
FINAL = 9  # nothing moves a shipment on from a final rank


@dataclass(frozen=True)
class State:
    text: str
    status: str  # the shipment status a report in this state shows
    rank: int | None  # None: 疑难件, a detour a parcel may take at any point before the end


# lastResult.state (resultv2 adds two-digit sub-states: 301 本人签收 → 3, 1401 → 14). The order:
#   created (0) < picked up < in transit (转投, 清关 alike) < out for delivery < refused < returning
#   < signed | returned (final).
IN_TRANSIT, PICKED_UP, PROBLEM_STATE, SIGNED_STATE = "0", "1", "2", "3"
RETURNED_STATE, OUT_FOR_DELIVERY, RETURNING, REROUTED, CUSTOMS, REFUSED_STATE = "4", "5", "6", "7", "8", "14"
STATES: dict[str, State] = {
    IN_TRANSIT: State("运输中", TRACKING, 2),
    PICKED_UP: State("已揽收", TRACKING, 1),
    PROBLEM_STATE: State("疑难件", PROBLEM, None),
    SIGNED_STATE: State("已签收", SIGNED, FINAL),
    RETURNED_STATE: State("退签", RETURNED, FINAL),
    OUT_FOR_DELIVERY: State("派件中", TRACKING, 3),
    RETURNING: State("退回中", RETURNED, 5),
    REROUTED: State("转投中", TRACKING, 2),
    CUSTOMS: State("清关中", TRACKING, 2),
    REFUSED_STATE: State("拒签", REFUSED, 4),
}
ABORT = "abort"  # not a scan: kuaidi100 gave up tracking the number
ABORT_TEXT = "快递100停止跟踪"
# reports that warn the department's staff and tell the citizen
TROUBLE = frozenset(code for code, state in STATES.items() if state.status in (PROBLEM, RETURNED, REFUSED))


def main_state(code: str) -> str:
    """The top-level state of a code (sub-states fold into their parent; unknown codes are transit)."""
    code = (code or "").strip()
    if code in STATES or code == ABORT:
        return code
    if len(code) >= 3 and code[:-2] in STATES:
        return code[:-2]
    return IN_TRANSIT


def state_text(code: str) -> str:
    if code == ABORT:
        return ABORT_TEXT
    return STATES[main_state(code)].text


def rank(state: str) -> int | None:
    """The rank of a folded state; None for 疑难件 (a detour, not a step)."""
    return STATES.get(state, STATES[IN_TRANSIT]).rank


def status_for(state: str) -> str:
    """The shipment status a report in ``state`` (folded by :func:`main_state`) shows."""
    return STATES.get(state, STATES[IN_TRANSIT]).status


def takes_over(progress: int, last_event_at: datetime | None, state: str, event_at: datetime | None) -> bool:
    """Does a report in ``state`` (scanned at ``event_at``) become the shipment's current state?

    ``progress`` is the rank reached so far and ``last_event_at`` the time of the scan the shipment
    shows. Nothing follows a final state; the final states themselves are always taken (a signature is
    a signature, whatever the courier's clock said); otherwise the scan must be at least as new as the
    one shown and must not go back in rank (a scan of the same minute as the last cannot move a
    signed parcel back to transit, nor an out-of-order older push undo a newer one).
    """
    if progress >= FINAL:
        return False
    to = rank(state)
    if to is not None and to >= FINAL:
        return True
    newer = last_event_at is None or (event_at is not None and event_at >= last_event_at)
    if to is None:  # 疑难件: shown while it is the newest news
        return newer
    return newer and to >= progress


# -- the subscription's events: (from status, event) → to status -----------------------------------
_NOT_ENDED = tuple(s for s in STATUSES if s not in ENDED)
EVENTS: dict[tuple[str, str], str] = {
    (SUBSCRIBE_PENDING, "subscribed"): TRACKING,  # kuaidi100 accepted the subscription
    (SUBSCRIBE_PENDING, "heard"): TRACKING,  # a report came, so kuaidi100 does track it
    (SUBSCRIBE_PENDING, "give_up"): SUBSCRIBE_FAILED,  # every attempt failed (the job)
    # kuaidi100's abort: subscribe once more; the second time, staff take over
    **{(s, "resubscribe"): SUBSCRIBE_PENDING for s in _NOT_ENDED},
    **{(s, "stop"): ABORTED for s in _NOT_ENDED},
}


def sources(event: str) -> tuple[str, ...]:
    """Every status ``event`` may move a shipment from."""
    return tuple(source for source, name in EVENTS if name == event)


def target(event: str) -> str:
    return next(to for (_, name), to in EVENTS.items() if name == event)
