"""Rules a citizen's appointment answers to, shared by the action and by the views that offer it.

``cancel_refusal`` is the one place that says whether POST /appointments/{id}/cancel succeeds now:
the cancel call raises its answer, the views show ``can_cancel = cancel_refusal(...) is None``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import BOOKED, CANCELLED, CHECKED_IN, NO_SHOW, Appointment
from citizen_api.errors import ApiError

STATUS_TEXT: dict[str, str] = {
    BOOKED: "已预约",
    CHECKED_IN: "已签到",
    NO_SHOW: "已爽约",
    CANCELLED: "已取消",
}


def status_text(status: str) -> str:
    return STATUS_TEXT.get(status, status)


def cancel_deadline(appointment: Appointment, cutoff_minutes: int) -> datetime:
    """The last moment the booking may be cancelled (UTC): ``cutoff_minutes`` before its slot starts."""
    return appointment.starts_at - timedelta(minutes=cutoff_minutes)


def not_cancellable(status: str) -> ApiError:
    return ApiError(409, "NOT_CANCELLABLE", "该预约当前不能取消", {"status": status})


def cancel_refusal(appointment: Appointment, cutoff_minutes: int) -> ApiError | None:
    """Why cancelling now is refused (the error the cancel call answers), or None when it is allowed."""
    if appointment.status != BOOKED:
        return not_cancellable(appointment.status)
    deadline = cancel_deadline(appointment, cutoff_minutes)
    if clock.now() > deadline:
        return ApiError(
            409,
            "CANCEL_TOO_LATE",
            f"开始前 {cutoff_minutes // 60 or 1} 小时内不能取消",
            {"deadline": clock.to_local(deadline).isoformat(timespec="minutes")},
        )
    return None
