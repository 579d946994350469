"""kuaidi100's tracking states, and what each means for the shipment and the case."""

from __future__ import annotations

from datetime import datetime

from citizen_api.delivery import models as m

# lastResult.state (resultv2 adds two-digit sub-states: 301 本人签收 → 3, 1401 → 14)
STATE_TEXT = {
    "0": "运输中",
    "1": "已揽收",
    "2": "疑难件",
    "3": "已签收",
    "4": "退签",
    "5": "派件中",
    "6": "退回中",
    "7": "转投中",
    "8": "清关中",
    "14": "拒签",
    "abort": "快递100停止跟踪",
}

IN_TRANSIT, PICKED_UP, PROBLEM, SIGNED, RETURNED, OUT_FOR_DELIVERY, RETURNING, REFUSED = (
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "14",
)
REROUTED, CUSTOMS = "7", "8"
# states that warn the department's staff and tell the citizen
TROUBLE = {PROBLEM: m.PROBLEM, RETURNED: m.RETURNED, RETURNING: m.RETURNED, REFUSED: m.REFUSED}

# The order a parcel moves in: a report never takes a shipment back to an earlier rank.
#   created (0) < picked up < in transit (转投, 清关 alike) < out for delivery < refused < returning
#   < signed | returned (final: nothing moves a shipment on from there).
# 疑难件 (problem) has no rank: a detour a parcel may take at any point before the end; the shipment
# shows it until a newer scan at (or past) the rank reached before it takes the parcel on.
CREATED = 0
FINAL = 9
PROGRESS = {
    PICKED_UP: 1,
    IN_TRANSIT: 2,
    REROUTED: 2,
    CUSTOMS: 2,
    OUT_FOR_DELIVERY: 3,
    REFUSED: 4,
    RETURNING: 5,
    SIGNED: FINAL,
    RETURNED: FINAL,
}

SHIPMENT_STATUS_TEXT = {
    m.SUBSCRIBE_PENDING: "待订阅跟踪",
    m.TRACKING: "运输中",
    m.SIGNED: "已签收",
    m.PROBLEM: "疑难件",
    m.RETURNED: "已退回",
    m.REFUSED: "已拒签",
    m.ABORTED: "已停止跟踪",
    m.SUBSCRIBE_FAILED: "订阅跟踪失败",
}


def main_state(code: str) -> str:
    """The top-level state of a code (sub-states fold into their parent; unknown codes are transit)."""
    code = (code or "").strip()
    if code in STATE_TEXT:
        return code
    if len(code) >= 3 and code[:-2] in STATE_TEXT:
        return code[:-2]
    return IN_TRANSIT


def state_text(code: str) -> str:
    return STATE_TEXT.get(main_state(code) if code != "abort" else code, "运输中")


def shipment_status_for(state: str) -> str:
    """The shipment status after a report in ``state`` (already folded by :func:`main_state`)."""
    if state == SIGNED:
        return m.SIGNED
    return TROUBLE.get(state, m.TRACKING)


def rank(state: str) -> int | None:
    """The rank of a folded state in :data:`PROGRESS`; None for 疑难件 (a detour, not a step)."""
    if state == PROBLEM:
        return None
    return PROGRESS.get(state, PROGRESS[IN_TRANSIT])


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
