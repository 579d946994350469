"""The hall's queue tickets (``transitions.TICKETS``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from citizen_api.appointments.models import QueueTicket
from citizen_api.appointments.repository.lifecycles import move
from citizen_api.appointments.transitions import CALLED, SERVING, TICKETS, WAITING


async def create_ticket(
    group_id: int, day: date, kind: str, seq: int, number: str, appointment_id: int | None
) -> QueueTicket:
    return await QueueTicket.create(
        group_id=group_id, date=day, kind=kind, seq=seq, number=number, appointment_id=appointment_id
    )


async def waiting_tickets(group_ids: list[int], day: date, kind: str, limit: int) -> list[QueueTicket]:
    """Waiting tickets of one kind in these groups (a backup's own and the desks they cover), in
    arrival order."""
    query = QueueTicket.filter(group_id__in=group_ids, date=day, status=WAITING, kind=kind)
    return await query.order_by("id").limit(limit)  # one id sequence: arrival order across groups


async def move_ticket(ticket_id: int, action: str, **fields: Any) -> bool:
    return await move(QueueTicket, TICKETS, ticket_id, action, **fields)


async def ticket_by_id(ticket_id: int) -> QueueTicket | None:
    """The ticket with its group and hall."""
    return await QueueTicket.filter(id=ticket_id).select_related("group__office").first()


async def in_service(group_id: int, day: date, limit: int = 200) -> list[QueueTicket]:
    """Called and serving tickets of a group's day, the latest call first."""
    query = QueueTicket.filter(group_id=group_id, date=day, status__in=[CALLED, SERVING])
    return await query.order_by("-called_at", "-id").limit(limit)


async def latest_calls(office_id: int, day: date, limit: int) -> list[QueueTicket]:
    """The hall's latest calls of the day (every ticket once called), newest first."""
    query = QueueTicket.filter(group__office_id=office_id, date=day, called_at__isnull=False)
    return await query.order_by("-called_at", "-id").limit(limit)
