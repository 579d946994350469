"""What a citizen sees before and after booking: open days, slots, their appointments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments import repository as repo
from citizen_api.appointments.calendar import day_mode, day_modes
from citizen_api.appointments.present import appointment_out, slot_out
from citizen_api.appointments.schedule import ensure_slots
from citizen_api.appointments.schemas import (
    AppointmentOut,
    DayOut,
    DaysQuery,
    MyAppointmentsQuery,
    SlotOut,
    SlotsQuery,
)
from citizen_api.http import Page
from citizen_api.security.principal import Principal


def booking_window(settings) -> tuple[date, date, datetime]:
    """(first day, last day, earliest slot start) a citizen may book now."""
    today = clock.today()
    earliest = clock.now() + timedelta(minutes=settings.booking_min_lead_minutes)
    return today, today + timedelta(days=settings.booking_horizon_days), earliest


async def list_days(query: DaysQuery, settings) -> list[DayOut]:
    item = await repo.bookable_item(query.item_code)
    first, last, earliest = booking_window(settings)
    start = query.from_ or first
    end = query.to or max(start, last)
    if not query.to and (end - start).days >= 62:
        end = start + timedelta(days=61)
    group_ids = await repo.group_ids_for_item(item.id)
    modes = await day_modes(start, end)
    bookable = [m for m in modes if m.is_open and first <= m.date <= last]
    for mode in bookable:
        await ensure_slots(group_ids, mode.date, mode.kind)
    free: set[tuple[date, str]] = set()
    if bookable and group_ids:
        for slot in await repo.slots_between(group_ids, bookable[0].date, bookable[-1].date, earliest):
            if slot.booked < slot.capacity:
                free.add((slot.date, slot.mode))
    return [DayOut(date=m.date, kind=m.kind, available=(m.date, m.kind) in free, name=m.name) for m in modes]


async def list_slots(query: SlotsQuery, settings) -> list[SlotOut]:
    """The day's slots still bookable in time (full ones too: a citizen may join their waiting list)."""
    item = await repo.bookable_item(query.item_code)
    first, last, earliest = booking_window(settings)
    if not first <= query.date <= last:
        return []
    mode = await day_mode(query.date)
    if not mode.is_open:
        return []
    group_ids = await repo.group_ids_for_item(item.id)
    await ensure_slots(group_ids, query.date, mode.kind)
    return [slot_out(s) for s in await repo.slots_of(group_ids, query.date, mode.kind, earliest)]


async def my_appointments(principal: Principal, query: MyAppointmentsQuery, settings) -> Page[AppointmentOut]:
    total, rows = await repo.my_appointments(principal.user_id, query.status, query.offset, query.size)
    cutoff = settings.booking_cancel_cutoff_minutes
    return Page[AppointmentOut](total=total, items=[appointment_out(a, cutoff) for a in rows])


async def my_appointment(principal: Principal, appointment_id: int, settings) -> AppointmentOut:
    found = await repo.appointment_of(appointment_id, principal.user_id)
    return appointment_out(found, settings.booking_cancel_cutoff_minutes)
