"""The queries of 代办 bookings: mine, and those I made as an agent under authorisations in force."""

from __future__ import annotations

from tortoise.expressions import Q

from citizen_api.appointments.models import Appointment

_RELATED = ("slot__group__office", "item", "item__department")


def _mine_or_as_agent(user_id: int, authorisation_ids: list[int]) -> Q:
    mine = Q(user_id=user_id)
    if not authorisation_ids:
        return mine
    return mine | Q(filed_by="agent", actor_id=user_id, authorisation_id__in=authorisation_ids)


async def mine_and_as_agent(
    user_id: int, authorisation_ids: list[int], status: str | None, offset: int, limit: int
) -> tuple[int, list[Appointment]]:
    query = Appointment.filter(_mine_or_as_agent(user_id, authorisation_ids))
    if status:
        query = query.filter(status=status)
    total = await query.count()
    rows = await query.select_related(*_RELATED).order_by("-starts_at", "-id").offset(offset).limit(limit)
    return total, rows


async def mine_or_as_agent(
    appointment_id: int, user_id: int, authorisation_ids: list[int]
) -> Appointment | None:
    query = Appointment.filter(_mine_or_as_agent(user_id, authorisation_ids), id=appointment_id)
    return await query.select_related(*_RELATED).first()
