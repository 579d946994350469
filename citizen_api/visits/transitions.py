"""A home visit's lifecycle, in one table (from, action) → (to, roles):

pending_confirmation (a declared disability or illness, to be confirmed by staff) → requested
(confirm) | refused; requested (70 or older by the ID number, or confirmed) → scheduled (a day, a
window of time and the staff going) | refused | cancelled (the citizen); scheduled → scheduled
(moved) | done (the outcome recorded) | cancelled. ``repository.move`` changes a status only from a
source listed here (one conditional UPDATE): two clerks, or a clerk and the citizen, change it once.
"""

from __future__ import annotations

from citizen_api.lifecycles import Lifecycle, Refusal, transition
from citizen_api.security.principal import ADMIN, APPROVER, CITIZEN, WINDOW

PENDING, REQUESTED, SCHEDULED, DONE, REFUSED, CANCELLED = (
    "pending_confirmation", "requested", "scheduled", "done", "refused", "cancelled",
)  # fmt: skip
COUNTER = {WINDOW, APPROVER, ADMIN}


def _refusal(message: str) -> Refusal:
    return Refusal("INVALID_TRANSITION", message)


VISITS = Lifecycle(
    statuses=(PENDING, REQUESTED, SCHEDULED, DONE, REFUSED, CANCELLED),
    text={
        PENDING: "待确认资格",
        REQUESTED: "待安排",
        SCHEDULED: "已安排上门",
        DONE: "已上门办理",
        REFUSED: "未予受理",
        CANCELLED: "已取消",
    },
    transitions={
        (PENDING, "confirm"): transition(REQUESTED, COUNTER),
        (PENDING, "refuse"): transition(REFUSED, COUNTER),
        (REQUESTED, "schedule"): transition(SCHEDULED, COUNTER),
        (REQUESTED, "refuse"): transition(REFUSED, COUNTER),
        (REQUESTED, "cancel"): transition(CANCELLED, {CITIZEN}),
        (PENDING, "cancel"): transition(CANCELLED, {CITIZEN}),
        (SCHEDULED, "schedule"): transition(SCHEDULED, COUNTER),
        (SCHEDULED, "record"): transition(DONE, COUNTER),
        (SCHEDULED, "cancel"): transition(CANCELLED, {CITIZEN}),
    },
    refusals={
        "confirm": _refusal("该申请无需或已不能确认资格"),
        "refuse": _refusal("该申请已安排或已结束，不能再驳回"),
        "schedule": _refusal("该申请尚未确认资格或已结束"),
        "record": _refusal("只有已安排的上门服务可以登记办理结果"),
        "cancel": _refusal("该上门服务已结束，不能取消"),
    },
)
STATUSES = VISITS.statuses
