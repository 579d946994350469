"""Rules a citizen's booking answers to, shared by the actions and by the views that offer them.

``cancel_refusal`` is the one place that says whether POST /appointments/{id}/cancel succeeds now:
the cancel call raises its answer, the views show ``can_cancel = cancel_refusal(...) is None``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import Appointment
from citizen_api.appointments.transitions import APPOINTMENTS
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError


async def bookable_item(code: str):
    """The published catalog item of ``code`` if it takes appointments (404, 409 NOT_BOOKABLE)."""
    item = await catalog.item_by_code(code)
    if item is None or not item.is_published:
        raise ApiError(404, "NOT_FOUND", "未找到该事项")
    if not item.bookable:
        raise ApiError(409, "NOT_BOOKABLE", "该事项不支持预约")
    return item


def booking_window(settings) -> tuple[date, date, datetime]:
    """(first day, last day, earliest slot start) a citizen may book now."""
    today = clock.today()
    earliest = clock.now() + timedelta(minutes=settings.booking_min_lead_minutes)
    return today, today + timedelta(days=settings.booking_horizon_days), earliest


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week (the weekly booking limit counts per week)."""
    return day - timedelta(days=day.weekday())


def status_text(status: str) -> str:
    return APPOINTMENTS.text.get(status, status)


def cancel_deadline(appointment: Appointment, cutoff_minutes: int) -> datetime:
    """The last moment the booking may be cancelled (UTC): ``cutoff_minutes`` before its slot starts."""
    return appointment.starts_at - timedelta(minutes=cutoff_minutes)


def cancel_refusal(appointment: Appointment, cutoff_minutes: int) -> ApiError | None:
    """Why cancelling now is refused (the error the cancel call answers), or None when it is allowed."""
    if not APPOINTMENTS.allows(appointment.status, "cancel"):
        return APPOINTMENTS.refuse("cancel", appointment.status)
    deadline = cancel_deadline(appointment, cutoff_minutes)
    if clock.now() > deadline:
        return ApiError(
            409,
            "CANCEL_TOO_LATE",
            f"开始前 {cutoff_minutes // 60 or 1} 小时内不能取消",
            {"deadline": clock.to_local(deadline).isoformat(timespec="minutes")},
        )
    return None


def citizen_places(capacity: int, reserved_percent: int) -> int:
    """The places of a slot citizens may book themselves: the rest (rounded down) is kept for staff
    booking for a citizen (代约); a slot of one place keeps none at 10 %."""
    return capacity - capacity * reserved_percent // 100


def slot_full() -> ApiError:
    return ApiError(409, "SLOT_FULL", "该时段已约满，可加入候补", {"waitlist": True})


def already_booked() -> ApiError:
    return ApiError(409, "ALREADY_BOOKED", "您当天已预约过该事项")


def limit_reached(settings) -> ApiError:
    limit = settings.booking_weekly_limit
    return ApiError(409, "BOOKING_LIMIT_REACHED", f"每周最多预约 {limit} 次", {"weekly_limit": limit})
