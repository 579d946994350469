"""A home visit's lifecycle, in one table (from, action) → to:

pending_confirmation (a declared disability or illness, to be confirmed by staff) → requested
(confirm) | refused; requested (70 or older by the ID number, or confirmed) → scheduled (a day, a
window of time and the staff going) | refused | cancelled (the citizen); scheduled → scheduled
(moved) | done (the outcome recorded) | cancelled. ``repository.move`` changes a status only from a
source listed here (one conditional UPDATE): two clerks, or a clerk and the citizen, change it once.
"""

from __future__ import annotations

PENDING, REQUESTED, SCHEDULED, DONE, REFUSED, CANCELLED = (
    "pending_confirmation", "requested", "scheduled", "done", "refused", "cancelled",
)  # fmt: skip
STATUSES = (PENDING, REQUESTED, SCHEDULED, DONE, REFUSED, CANCELLED)
TEXT = {
    PENDING: "待确认资格",
    REQUESTED: "待安排",
    SCHEDULED: "已安排上门",
    DONE: "已上门办理",
    REFUSED: "未予受理",
    CANCELLED: "已取消",
}
TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, "confirm"): REQUESTED,
    (PENDING, "refuse"): REFUSED,
    (REQUESTED, "schedule"): SCHEDULED,
    (REQUESTED, "refuse"): REFUSED,
    (REQUESTED, "cancel"): CANCELLED,
    (PENDING, "cancel"): CANCELLED,
    (SCHEDULED, "schedule"): SCHEDULED,
    (SCHEDULED, "record"): DONE,
    (SCHEDULED, "cancel"): CANCELLED,
}
REFUSALS = {
    "confirm": "该申请无需或已不能确认资格",
    "refuse": "该申请已安排或已结束，不能再驳回",
    "schedule": "该申请尚未确认资格或已结束",
    "record": "只有已安排的上门服务可以登记办理结果",
    "cancel": "该上门服务已结束，不能取消",
}


def sources(action: str) -> tuple[str, ...]:
    return tuple(source for source, name in TRANSITIONS if name == action)


def target(action: str) -> str:
    return next(to for (_, name), to in TRANSITIONS.items() if name == action)


def allows(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS
