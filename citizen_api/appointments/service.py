"""The appointment domain's public API: what a citizen sees before and after booking (open days,
slots, their appointments; the official-account bot asks the same), and the visit a rating is about.

Booking, cancelling, the waiting list and the hall's work are this domain's own endpoints
(``booking``, ``cancellation``, ``waitlist``, ``hall``, ``admin``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from citizen_api.appointments import agency, covers, hot, release
from citizen_api.appointments.allocation import allocation_of
from citizen_api.appointments.calendar import day_mode, day_modes
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import desks as desks_repo
from citizen_api.appointments.repository import halls as halls_repo
from citizen_api.appointments.rules import booking_window, citizen_places
from citizen_api.appointments.schemas import (
    AppointmentOut,
    DayOut,
    DaysQuery,
    MyAppointmentsQuery,
    SlotOut,
    SlotsQuery,
)
from citizen_api.appointments.transitions import CHECKED_IN
from citizen_api.appointments.views import appointment_out, slot_out
from citizen_api.clock import to_local
from citizen_api.http import Page
from citizen_api.security.principal import Principal
from citizen_api.workdays import service as workdays


@dataclass
class _DaySlots:
    """What a bookable day's slots allow now."""

    any: bool = False  # the schedule gave the day slots
    in_time: bool = False  # some slot still starts after the lead time
    free: bool = False  # some such slot has a place left


def _open_day_reason(day: date, first: date, last: date, slots: _DaySlots | None) -> str | None:
    """Why an open day cannot be booked now (None: it can)."""
    if day < first:
        return "已过预约截止时间"
    if day > last:
        return "超出可预约范围"
    if slots is None or not slots.any:
        return "该日无可预约时段"
    if not slots.in_time:
        return "今日已截止" if day == first else "已过预约截止时间"
    if not slots.free:
        return "已约满"
    return None


async def list_days(query: DaysQuery, state) -> list[DayOut]:
    """The days of the query's range with why each is not bookable (shared for a second)."""
    key = ("days", _key(query), await workdays.calendar_token())
    return await hot.listing(state, key, lambda: _list_days(query, state))


def _key(query) -> tuple:
    return tuple(sorted(query.model_dump().items()))


async def _list_days(query: DaysQuery, state) -> list[DayOut]:
    settings = state.settings
    item = await hot.item(state, query.item_code)
    first, last, earliest = booking_window(settings)
    start = query.from_ or first
    end = query.to or max(start, last)
    if not query.to and (end - start).days >= 62:
        end = start + timedelta(days=61)
    group_ids = await hot.group_ids(state, item.id)
    modes = await day_modes(start, end)
    bookable = [m for m in modes if m.is_open and first <= m.date <= last]
    for mode in bookable:
        await hot.ensure_day_slots(state, group_ids, mode.date, mode.kind)
    seen: dict[tuple[date, str], _DaySlots] = {}
    places = settings.booking_staff_reserved_percent
    if bookable and group_ids:
        for slot in await repo.slots_between(group_ids, bookable[0].date, bookable[-1].date):
            state_ = seen.setdefault((slot.date, slot.mode), _DaySlots())
            state_.any = True
            if slot.starts_at >= earliest:
                state_.in_time = True
                state_.free = state_.free or slot.booked < citizen_places(slot.capacity, places)
    out = []
    for mode in modes:
        opens_at = None
        if mode.is_open:
            reason = _open_day_reason(mode.date, first, last, seen.get((mode.date, mode.kind)))
            if reason is None or reason == "已约满":
                opens_at = await release.day_opens_at(state, group_ids, item.id, mode.date)
                reason = release.opens_reason(opens_at) if opens_at is not None else reason
        else:
            reason = mode.closed_reason
        out.append(
            DayOut(
                date=mode.date,
                kind=mode.kind,
                available=reason is None,
                reason=reason,
                opens_at=to_local(opens_at) if opens_at is not None else None,
                allocation=await allocation_of(group_ids, mode.date, item_id=item.id),
                name=mode.name,
            )
        )
    return out


async def list_slots(query: SlotsQuery, state) -> list[SlotOut]:
    """The day's slots still bookable in time (full ones too: a citizen may join their waiting list;
    not yet released ones too, with their ``opens_at``); shared for a second."""
    key = ("slots", _key(query), await workdays.calendar_token())
    return await hot.listing(state, key, lambda: _list_slots(query, state))


async def _list_slots(query: SlotsQuery, state) -> list[SlotOut]:
    settings = state.settings
    item = await hot.item(state, query.item_code)
    first, last, earliest = booking_window(settings)
    if not first <= query.date <= last:
        return []
    mode = await day_mode(query.date)
    if not mode.is_open:
        return []
    group_ids = await hot.group_ids(state, item.id)
    await hot.ensure_day_slots(state, group_ids, query.date, mode.kind)
    reserved = settings.booking_staff_reserved_percent
    return [
        slot_out(s, reserved, await release.slot_opens_at(state, s.group_id, item.id, query.date))
        for s in await repo.slots_of(group_ids, query.date, mode.kind, earliest)
    ]


async def my_appointments(principal: Principal, query: MyAppointmentsQuery, settings) -> Page[AppointmentOut]:
    """Mine, and those I booked as an agent while the authorisation is in force (agency.py)."""
    total, rows = await agency.my_appointments(principal, query.status, query.offset, query.size, settings)
    cutoff = settings.booking_cancel_cutoff_minutes
    return Page[AppointmentOut](total=total, items=[appointment_out(a, cutoff) for a in rows])


async def my_appointment(principal: Principal, appointment_id: int, settings) -> AppointmentOut:
    found = await agency.visible_appointment(principal, appointment_id, settings)
    return appointment_out(found, settings.booking_cancel_cutoff_minutes)


@dataclass(frozen=True)
class Visit:
    """A citizen's appointment as the ratings domain needs it (一次一评: a checked-in visit)."""

    id: int
    status: str
    checked_in_at: datetime | None  # set once the citizen was checked in at the counter
    department_code: str  # the department of the item served

    @property
    def served(self) -> bool:
        return self.status == CHECKED_IN and self.checked_in_at is not None


async def visit_of(appointment_id: int, user_id: int) -> Visit | None:
    """The citizen's own appointment ``appointment_id``; None for anyone else's or an unknown id."""
    found = await repo.own_appointment(appointment_id, user_id)
    if found is None:
        return None
    return Visit(found.id, found.status, found.checked_in_at, found.item.department.code)


# -- AB角 (the staffing domain): a backup covers an absent clerk's desk (``covers``) -----------------
CoverStarted = covers.CoverStarted


async def start_desk_cover(absent_user_id: int, cover_user_id: int) -> CoverStarted:
    """A is absent: A's called/serving tickets go to B's window and B's call-next also draws from
    A's window group; A calls no numbers (409 STAFF_ABSENT) until :func:`end_desk_cover`."""
    return await covers.start_cover(absent_user_id, cover_user_id)


async def end_desk_cover(absent_user_id: int) -> bool:
    return await covers.end_cover(absent_user_id)


async def move_desk_cover(absent_user_id: int, cover_user_id: int) -> bool:
    """A's open cover is now ``cover_user_id``'s (an AB角 chain): their call-next draws from A's
    window group; True when it moved."""
    return await covers.move_cover(absent_user_id, cover_user_id)


async def office_names() -> dict[str, str]:
    """Every hall's code → name, in the order they were made (三级便民服务 places them in the
    district–town–village hierarchy and names the point a result goes to)."""
    return {office.code: office.name for office in await halls_repo.offices()}


async def ensure_office(code: str, name: str, address: str = "") -> bool:
    """A hall of that code, made when missing (demo data of 三级便民服务); True when it was made."""
    if await halls_repo.office_exists(code):
        return False
    await halls_repo.create_office({"code": code, "name": name, "address": address})
    return True


# -- for 效能考评 (citizen_api.performance): the window a clerk's work is counted to


@dataclass(frozen=True)
class DeskFact:
    window_id: int
    label: str  # 「综合受理 3号窗口」
    department_code: str | None  # the department that runs the window's group


async def desk_facts(user_ids: Iterable[int]) -> dict[int, DeskFact]:
    """account id → the window it works at now (accounts with no desk are left out)."""
    desks = await desks_repo.desks_of(sorted(set(user_ids)))
    return {
        d.user_id: DeskFact(
            d.window.id, f"{d.window.group.name} {d.window.number}号窗口", d.window.group.department_code
        )
        for d in desks
    }
