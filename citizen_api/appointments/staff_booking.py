"""代约 (适老化): staff book for a citizen on the phone or at the hall, and may use every place.

The citizen is named by name, ID number and phone: the users domain reuses the account of that
ID number or opens one without WeChat. The booking counts for that person like their own (one per
item and day, the weekly limit), goes through the same conditional UPDATE without the reserved
share (``booking_staff_reserved_percent``), and is audited with the ID number masked. A clerk
books only at the window groups of their scope.
"""

from __future__ import annotations

from citizen_api.appointments import desks, hot
from citizen_api.appointments.agency import staff_booker
from citizen_api.appointments.booking import check_may_book, checked_slot, give_place, person_of
from citizen_api.appointments.models import Appointment
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.schemas import AppointmentOut, StaffBookBody
from citizen_api.appointments.views import appointment_out
from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.security.masking import mask_id_number
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


async def book_for_citizen(principal: Principal, body: StaffBookBody, state, unit: Unit) -> AppointmentOut:
    settings = state.settings
    item = await hot.item(state, body.item_code)
    slot = await checked_slot(state, body.slot_id, item, settings)
    scope = await desks.scope_group_ids(principal)
    if scope is not None and slot.group_id not in scope:
        raise ApiError(404, "NOT_FOUND", "未找到该时段")

    async def work() -> Appointment:
        user_id = await users.citizen_for_identity(body.name, body.id_number, body.phone, settings)
        person = await person_of(user_id, settings)
        await check_may_book(user_id, person, item.id, slot.date)
        appointment = await give_place(
            user_id,
            person,
            item,
            slot,
            settings,
            reserved_percent=0,
            source="staff",
            filing=staff_booker(principal, user_id).filing,  # 代约: staff_assisted, the clerk acted
        )
        details = {
            "slot_id": slot.id,
            "item_code": item.code,
            "citizen_id": user_id,
            "id_number": mask_id_number(body.id_number),
        }
        await record(principal, "appointments.staff_book", "appointment", appointment.id, details)
        return appointment

    appointment = await in_unit(unit, work)
    appointment.slot = slot
    return appointment_out(
        appointment, settings.booking_cancel_cutoff_minutes, item, settings.booking_staff_reserved_percent
    )
