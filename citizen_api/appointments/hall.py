"""At the hall: check-in swaps a booking for a queue number (booked citizens are called first,
``appointments.queue``), no-shows suspend booking.

Queue numbers come from an atomic counter row per (group, day, kind), so two clerks never give
the same number. Booked check-ins are ``A012``, walk-ins ``AW012``, and a booked citizen aged
``queue_priority_age`` (60) or more — the birth date of the real-name ID number — gets a priority
number ``AY012`` (优先), called before every other number of the group; every status change is a
conditional UPDATE of the tables (``transitions``), so one booking is never checked in twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from citizen_api import clock, db
from citizen_api.appointments.closing import refuse_after_close
from citizen_api.appointments.models import Appointment, QueueTicket, WindowGroup
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import counters, halls, queue_tickets
from citizen_api.appointments.schemas import CheckInOut, NoShowOut
from citizen_api.appointments.transitions import APPOINTMENTS, CHECKED_IN, NO_SHOW
from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users

# the kinds of queue numbers, in the order they are called, and the letter after the group's prefix
TICKET_KINDS = ("priority", "booked", "walk_in")
KIND_LETTERS = {"priority": "Y", "booked": "", "walk_in": "W"}


def in_scope(principal: Principal, *departments: str | None) -> bool:
    """Centre-wide roles anywhere; other staff at counters of their department or general counters."""
    if principal.sees_all_departments:
        return True
    return any(d is None or d == principal.department for d in departments)


async def _staff_appointment(principal: Principal, appointment_id: int) -> Appointment:
    appointment = await repo.appointment_of(appointment_id)
    group = appointment.slot.group
    if group.department_code is None:
        scope = (appointment.item.department.code,)
    else:
        scope = (appointment.item.department.code, group.department_code)
    if not principal.sees_all_departments and principal.department not in scope:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    return appointment


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


async def ticket_kind(user_id: int, settings) -> str:
    """``priority`` for a citizen aged ``queue_priority_age`` or more today, else ``booked``."""
    threshold = settings.queue_priority_age
    if threshold <= 0:
        return "booked"
    born = await users.birth_date(user_id, settings)
    return "priority" if born is not None and age_on(born, clock.today()) >= threshold else "booked"


async def check_in(principal: Principal, appointment_id: int, settings=None) -> CheckInOut:
    """``settings``: the request's (default: those of the unit of work's AppState)."""
    if settings is None:
        state = db.current_state()
        if state is None:
            raise RuntimeError("check-in runs inside a request's unit of work")
        settings = state.settings
    appointment = await _staff_appointment(principal, appointment_id)
    group = appointment.slot.group
    if appointment.status == CHECKED_IN:  # a second tap at the counter gives the same number
        return CheckInOut(
            appointment_id=appointment.id, queue_number=appointment.queue_number, window_group=group.name
        )
    if not APPOINTMENTS.allows(appointment.status, "check_in"):
        raise APPOINTMENTS.refuse("check_in", appointment.status)
    today = clock.today()
    if appointment.date != today:
        raise ApiError(409, "NOT_TODAY", "只能在预约当天签到", {"date": appointment.date.isoformat()})
    await refuse_after_close(group, settings)  # 延时服务: no new number after closing
    moved = await repo.move_appointment(
        appointment.id, "check_in", checked_in_at=clock.now(), handled_by=principal.user_id
    )
    if not moved:  # another clerk checked in first (we waited for their commit)
        again = await repo.appointment_by_id(appointment.id)
        if again.status == CHECKED_IN and again.queue_number:
            return CheckInOut(
                appointment_id=again.id, queue_number=again.queue_number, window_group=group.name
            )
        raise APPOINTMENTS.refuse("check_in", again.status, "该预约状态已变化")
    ticket = await issue(group, await ticket_kind(appointment.user_id, settings), appointment.id)
    await repo.set_queue_number(appointment.id, ticket.number)
    return CheckInOut(appointment_id=appointment.id, queue_number=ticket.number, window_group=group.name)


async def issue(group: WindowGroup, kind: str, appointment_id: int | None) -> QueueTicket:
    today = clock.today()
    seq = await counters.next_queue_value(group.id, today, kind)
    number = f"{group.prefix}{KIND_LETTERS[kind]}{seq:03d}"
    return await queue_tickets.create_ticket(group.id, today, kind, seq, number, appointment_id)


async def no_show(principal: Principal, appointment_id: int, settings) -> NoShowOut:
    appointment = await _staff_appointment(principal, appointment_id)
    if not APPOINTMENTS.allows(appointment.status, "no_show"):
        raise APPOINTMENTS.refuse("no_show", appointment.status)
    if clock.now() < appointment.slot.starts_at:
        raise ApiError(409, "TOO_EARLY", "预约时段尚未开始")
    moved = await repo.move_appointment(
        appointment.id, "no_show", no_show_at=clock.now(), handled_by=principal.user_id
    )
    if not moved:
        raise APPOINTMENTS.refuse("no_show", "changed", "该预约状态已变化")
    await record(principal, "appointment.no_show", "appointment", str(appointment.id), {})
    until = await _maybe_suspend(appointment.user_id, settings)
    return NoShowOut(appointment_id=appointment.id, status=NO_SHOW, suspended_until=until)


async def _maybe_suspend(user_id: int, settings):
    """N no-shows within M days (counted since the last suspension) suspend booking for K days."""
    today = clock.today()
    current = await repo.active_suspension(user_id, today)
    if current is not None:
        return current.until
    count = await repo.no_shows_counting(user_id, today - timedelta(days=settings.no_show_window_days))
    if count < settings.no_show_limit:
        return None
    until = today + timedelta(days=settings.no_show_suspension_days)
    await repo.create_suspension(user_id, today, until, count)
    return until


async def group_in_scope(principal: Principal, code: str) -> WindowGroup:
    """A window group the caller works at (with its hall), else 404."""
    group = await halls.group_by_code(code)
    if group is None or not in_scope(principal, group.department_code):
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    return group
