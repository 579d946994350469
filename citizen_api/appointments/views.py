"""Rows to API answers: remaining places, the place to go, what the citizen may do now."""

from __future__ import annotations

from datetime import datetime

from citizen_api.appointments.models import Appointment, Slot, WaitlistEntry
from citizen_api.appointments.rules import cancel_deadline, cancel_refusal, citizen_places, status_text
from citizen_api.appointments.schemas import AppointmentOut, SlotOut, WaitlistOut
from citizen_api.clock import to_local


def slot_out(slot: Slot, reserved_percent: int = 0, opens_at: datetime | None = None) -> SlotOut:
    """``capacity`` and ``remaining`` count the places citizens may book (not the staff's share)."""
    places = citizen_places(slot.capacity, reserved_percent)
    return SlotOut(
        id=slot.id,
        start=to_local(slot.starts_at),
        end=to_local(slot.ends_at),
        capacity=places,
        remaining=max(0, places - slot.booked),
        window_group=slot.group.name,
        office=slot.group.office.name,
        opens_at=to_local(opens_at) if opens_at is not None else None,
    )


def place_of(slot: Slot) -> str:
    office = slot.group.office
    where = f"{office.name} {slot.group.name}"
    return f"{where}（{office.address}）" if office.address else where


def appointment_out(
    appointment: Appointment, cancel_cutoff_minutes: int, item=None, reserved_percent: int = 0
) -> AppointmentOut:
    """``item``: the catalog's copy of the booked item when the row was not loaded with it."""
    slot, item = appointment.slot, item or appointment.item
    return AppointmentOut(
        id=appointment.id,
        status=appointment.status,
        status_text=status_text(appointment.status),
        can_cancel=cancel_refusal(appointment, cancel_cutoff_minutes) is None,
        check_in_code=appointment.check_in_code,
        item_code=item.code,
        item_name=item.name,
        date=appointment.date,
        slot=slot_out(slot, reserved_percent),
        place=place_of(slot),
        queue_number=appointment.queue_number,
        source=appointment.source,
        filed_by=appointment.filed_by,
        cancel_deadline=to_local(cancel_deadline(appointment, cancel_cutoff_minutes)),
        created_at=appointment.created_at,
    )


def waitlist_out(entry: WaitlistEntry, position: int | None, item=None) -> WaitlistOut:
    item = item or entry.item
    return WaitlistOut(
        id=entry.id,
        status=entry.status,
        position=position,
        item_code=item.code,
        item_name=item.name,
        slot=slot_out(entry.slot),
        appointment_id=entry.appointment_id,
        created_at=entry.created_at,
    )


def message_payload(appointment: Appointment, slot: Slot, item_name: str) -> dict:
    """Plain values the notification templates are rendered from."""
    start, end = to_local(slot.starts_at), to_local(slot.ends_at)
    return {
        "appointment_id": appointment.id,
        "item_name": item_name,
        "date": slot.date.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "place": place_of(slot),
        "queue_number": appointment.queue_number,
    }
