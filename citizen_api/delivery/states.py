"""kuaidi100's tracking states, and what each means for the shipment and the case."""

from __future__ import annotations

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
# states that warn the department's staff and tell the citizen
TROUBLE = {PROBLEM: m.PROBLEM, RETURNED: m.RETURNED, RETURNING: m.RETURNED, REFUSED: m.REFUSED}

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
