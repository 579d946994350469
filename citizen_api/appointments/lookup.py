"""The hall's bookings of a day, as the workbench lists and searches them, and check-in by code.

A clerk sees the bookings of their scope (``desks.scope_group_ids``). ``q`` is a check-in code,
the phone's last four digits or the applicant's full name: the last two are found through the
users domain's keyed hashes (no personal data is searched in clear), and every row shows the
applicant masked.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.appointments import desks, hall
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.rules import status_text
from citizen_api.appointments.schemas import CheckInOut
from citizen_api.appointments.schemas_hall import (
    HallBooking,
    HallBookingsQuery,
    HallSlot,
    is_code,
    normalise_code,
)
from citizen_api.clock import to_local
from citizen_api.errors import ApiError
from citizen_api.http import Page
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


async def bookings(principal: Principal, query: HallBookingsQuery, settings) -> Page[HallBooking]:
    day = query.date or clock.today()
    group_ids = await desks.scope_group_ids(principal)
    empty = Page[HallBooking](total=0, items=[])
    if group_ids == []:
        return empty
    narrow: dict = {}
    q = (query.q or "").strip()
    if q:
        code = normalise_code(q)
        if is_code(code):
            narrow["check_in_code"] = code
        else:
            narrow["user_ids"] = await users.citizen_ids_matching(q, settings)
            if not narrow["user_ids"]:
                return empty
    total, rows = await repo.day_bookings(day, group_ids, query.offset, query.size, **narrow)
    contacts = await users.masked_contacts({row.user_id for row in rows}, settings)
    return Page[HallBooking](total=total, items=[_row(row, contacts) for row in rows])


def _row(appointment, contacts: dict) -> HallBooking:
    name, phone = contacts.get(appointment.user_id, (None, None))
    slot = appointment.slot
    return HallBooking(
        id=appointment.id,
        slot=HallSlot(start=to_local(slot.starts_at), end=to_local(slot.ends_at)),
        window_group=slot.group.code,
        item_code=appointment.item.code,
        item_name=appointment.item.name,
        applicant_name=name,
        phone=phone,
        status=appointment.status,
        status_text=status_text(appointment.status),
        check_in_code=appointment.check_in_code,
        queue_number=appointment.queue_number,
    )


async def check_in_by_code(principal: Principal, code: str) -> CheckInOut:
    """The booking of a scanned code, checked in (a second scan gives the same number)."""
    appointment_id = await repo.appointment_id_by_code(code) if is_code(code) else None
    if appointment_id is None:
        raise ApiError(404, "NOT_FOUND", "签到码无效")
    group_ids = await desks.scope_group_ids(principal)
    if group_ids is not None:
        appointment = await repo.appointment_of(appointment_id)
        if appointment.slot.group_id not in group_ids:
            raise ApiError(404, "NOT_FOUND", "签到码无效")
    return await hall.check_in(principal, appointment_id)
