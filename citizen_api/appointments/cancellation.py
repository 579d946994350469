"""Cancelling a booking: its place goes to the first waiter who still qualifies, else back to the slot.

The transaction takes the slot's row lock first (the order of ``booking``), so a cancellation and
a booking or a join of the waiting list of the same slot never deadlock, and two cancellations of
one slot promote two different waiters.
"""

from __future__ import annotations

from citizen_api import clock, db
from citizen_api.appointments import full_cache
from citizen_api.appointments.repository import bookings as repo
from citizen_api.appointments.repository import counters
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.rules import cancel_refusal, week_of
from citizen_api.appointments.schemas import AppointmentOut
from citizen_api.appointments.transitions import APPOINTMENTS
from citizen_api.appointments.views import appointment_out, message_payload
from citizen_api.appointments.waitlist import hand_over
from citizen_api.security.principal import Principal
from notifications import outbox


async def cancel(principal: Principal, appointment_id: int, state, unit: Unit) -> AppointmentOut:
    settings = state.settings
    appointment = await repo.appointment_of(appointment_id, principal.user_id)
    refusal = cancel_refusal(appointment, settings.booking_cancel_cutoff_minutes)
    if refusal is not None:
        raise refusal
    slot = appointment.slot

    async def work() -> None:
        await counters.lock_slot(slot.id)
        if not await repo.move_appointment(appointment.id, "cancel", cancelled_at=clock.now()):
            raise APPOINTMENTS.refuse("cancel", "changed")
        person = repo.person_of_key(appointment.active_key) or f"u{principal.user_id}"
        await counters.release_weekly_quota(person, week_of(appointment.date))
        if await hand_over(slot, settings) is None:
            await counters.release_slot_place(slot.id)
            # the place is free again: every process stops refusing the slot from the cache
            await db.after_commit(lambda: full_cache.freed(state, slot.id))
        await outbox.enqueue(
            principal.user_id,
            "appointment.cancelled",
            message_payload(appointment, slot, appointment.item.name),
        )

    await in_unit(unit, work)
    return appointment_out(
        await repo.appointment_of(appointment.id),
        settings.booking_cancel_cutoff_minutes,
        reserved_percent=settings.booking_staff_reserved_percent,
    )
