"""代办 and 代约 on appointments: for whom a booking is made, who made it, and who may see it.

An agent books with ``on_behalf_of`` (an authorisation the agents domain checks): the booking is
the principal's — their account, their person key, so the one-per-person-per-item-per-day rule, the
weekly limit and a no-show suspension are the principal's — and the agent is kept beside it
(``filed_by = agent``, ``actor_id``). The agent sees the booking (and its check-in code: they are
the one who comes to the hall) while the authorisation is in force; cancelling stays the
principal's. Staff booking for a citizen (代约, ``staff_booking.py``) is ``staff_assisted``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citizen_api.agents import service as agents
from citizen_api.agents.schemas import ActingGrant
from citizen_api.appointments.models import Appointment, Slot
from citizen_api.appointments.repository import agency as repo
from citizen_api.appointments.repository import bookings
from citizen_api.appointments.views import message_payload
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal


@dataclass(frozen=True)
class Booker:
    """The citizen a booking is for (``owner_id``) and who made it (``filing``: the row's columns)."""

    owner_id: int
    filing: dict[str, Any] = field(default_factory=dict)
    grant: ActingGrant | None = None


async def booker(principal: Principal, on_behalf_of: int | None, item_code: str, settings) -> Booker:
    grant = await agents.acting_for(principal, on_behalf_of, item_code, settings)
    if grant is None:
        return Booker(principal.user_id)
    filing = {"filed_by": "agent", "actor_id": principal.user_id, "authorisation_id": grant.authorisation_id}
    return Booker(grant.principal_id, filing, grant)


def staff_booker(clerk: Principal, citizen_id: int) -> Booker:
    return Booker(citizen_id, {"filed_by": "staff_assisted", "actor_id": clerk.user_id})


async def after_booking(
    who: Booker, actor: Principal, appointment: Appointment, slot: Slot, item_name: str, settings
) -> None:
    """An agent's booking: audited, and the principal told (WeChat) who booked for them."""
    if who.grant is None:
        return
    payload = message_payload(appointment, slot, item_name)
    await agents.record_act(
        who.grant, actor, "appointment.book", "appointment", appointment.id, "agent.booked", payload, settings
    )


# -- who sees a booking


async def my_appointments(principal: Principal, status: str | None, offset: int, limit: int, settings):
    """My bookings and, while their authorisations are in force, those I made as an agent."""
    ids = await agents.live_authorisation_ids(principal, settings)
    if not ids:
        return await bookings.my_appointments(principal.user_id, status, offset, limit)
    return await repo.mine_and_as_agent(principal.user_id, ids, status, offset, limit)


async def visible_appointment(principal: Principal, appointment_id: int, settings) -> Appointment:
    """My own booking, or one I made as an agent under an authorisation in force (else 404)."""
    found = await repo.mine_or_as_agent(appointment_id, principal.user_id, [])
    if found is None:
        ids = await agents.live_authorisation_ids(principal, settings)
        found = await repo.mine_or_as_agent(appointment_id, principal.user_id, ids) if ids else None
    if found is None:
        raise ApiError(404, "NOT_FOUND", "未找到该预约")
    return found
