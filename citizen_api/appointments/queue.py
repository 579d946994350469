"""The hall's queue: walk-in tickets, call-next, and what a window does with a called ticket.

``call-next`` takes the first waiting priority ticket (60+, ``hall``), then booked ones, then
walk-ins, and records the NUMBER of the window that called it (the clerk's desk unless the body
names one: never empty). A called ticket
is recalled (called again at its window: the TV shows it anew), served, skipped (过号) or finished
(办结), each a conditional UPDATE of ``transitions.TICKETS``, so two windows never call one ticket.
Every call and recall is announced to the hall's TVs once committed (``announce``).

AB角: a backup covering an absent clerk's desk (``covers``) calls from their own group and the
covered group as one queue when they work their own desk's group; the absent clerk calls nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from citizen_api import clock
from citizen_api.appointments import covers, desks, late_service
from citizen_api.appointments.closing import refuse_after_close
from citizen_api.appointments.hall import TICKET_KINDS, group_in_scope, in_scope, issue
from citizen_api.appointments.models import QueueTicket, WindowGroup
from citizen_api.appointments.repository import covers as covers_repo
from citizen_api.appointments.repository import queue_tickets
from citizen_api.appointments.schemas import QueueOut, TicketOut
from citizen_api.appointments.transitions import CALLED, SERVING, TICKETS
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal

# (office code, ticket): tells the hall's TVs, after commit
Announce = Callable[[str, QueueTicket], None]


def _no_window() -> ApiError:
    return ApiError(409, "NO_WINDOW", "未分配窗口")


async def _group_of(principal: Principal, code: str | None) -> WindowGroup:
    """The group named, else the group of the caller's desk."""
    if code is None:
        window = await desks.desk_window(principal)
        if window is None:
            raise _no_window()
        code = window.group.code
    return await group_in_scope(principal, code)


async def _waiting(group_ids: list[int], limit: int = 500) -> list[QueueTicket]:
    """Waiting tickets: priority (60+) numbers, then booked citizens, then walk-ins, each in arrival order."""
    today = clock.today()
    waiting: list[QueueTicket] = []
    for kind in TICKET_KINDS:
        if len(waiting) >= limit:
            break
        waiting += await queue_tickets.waiting_tickets(group_ids, today, kind, limit - len(waiting))
    return waiting


async def _covered(principal: Principal, group: WindowGroup) -> tuple[list[covers.CoveredDesk], str]:
    """The desks the caller covers (AB角) when they work their own desk's group, and their window."""
    desk = await desks.desk_window(principal)
    if desk is None or desk.group_id != group.id:
        return [], ""
    covered = [c for c in await covers.covered_by(principal.user_id) if c.group_id not in (None, group.id)]
    return covered, desk.number


async def queue(principal: Principal, code: str | None) -> QueueOut:
    group = await _group_of(principal, code)
    covered, my_window = await _covered(principal, group)
    others = [c.group_id for c in covered if c.group_id is not None]
    waiting = [TicketOut.model_validate(t) for t in await _waiting([group.id, *others])]
    active = await queue_tickets.in_service(group.id, clock.today())
    if others:  # the covered groups' tickets now at my window (moved from A, or called by me)
        active += await covers_repo.active_at_window(others, clock.today(), my_window)
    return QueueOut(
        group=group.code,
        date=clock.today(),
        waiting=waiting,
        called=[TicketOut.model_validate(t) for t in active if t.status == CALLED],
        serving=[TicketOut.model_validate(t) for t in active if t.status == SERVING],
        covered_groups=[c.group_code for c in covered if c.group_code],
    )


async def walk_in(principal: Principal, code: str | None, settings) -> TicketOut:
    group = await _group_of(principal, code)
    await refuse_after_close(group, settings)  # 延时服务: the numbers given are served, no new ones
    return TicketOut.model_validate(await issue(group, "walk_in", None))


async def call_next(
    principal: Principal,
    code: str | None,
    window: str,
    announce: Announce,
    settings,
    late_changed: late_service.Changed,
) -> TicketOut:
    await covers.refuse_if_absent(principal.user_id)
    group = await _group_of(principal, code)
    covered, _ = await _covered(principal, group)
    offices = {group.id: group.office.code} | {c.group_id: c.office_code for c in covered}
    if not window:
        desk = await desks.desk_window(principal)
        if desk is None or desk.group_id != group.id:
            raise _no_window()
        window = desk.number
    await late_service.on_call(principal, group, window, settings, late_changed)
    while True:
        candidates = await _waiting(list(offices), limit=20)
        if not candidates:
            raise ApiError(409, "QUEUE_EMPTY", "当前没有等候的号")
        for ticket in candidates:
            now = clock.now()
            called = await queue_tickets.move_ticket(
                ticket.id, "call", called_at=now, called_by=principal.user_id, window=window
            )
            if called:
                ticket.status, ticket.called_at, ticket.window = CALLED, now, window
                announce(offices[ticket.group_id] or group.office.code, ticket)
                return TicketOut.model_validate(ticket)


async def act(principal: Principal, ticket_id: int, action: str, announce: Announce) -> TicketOut:
    """recall, serve, skip or finish a ticket of the caller's groups (``transitions.TICKETS``)."""
    ticket = await queue_tickets.ticket_by_id(ticket_id)
    if ticket is None or not in_scope(principal, ticket.group.department_code):
        raise ApiError(404, "NOT_FOUND", "未找到该号")
    if not TICKETS.allows(ticket.status, action):
        raise TICKETS.refuse(action, ticket.status)
    if action == "recall":
        await covers.refuse_if_absent(principal.user_id)
    fields: dict = {}
    if action == "recall":
        fields = {"called_at": clock.now(), "called_by": principal.user_id}
    if not await queue_tickets.move_ticket(ticket.id, action, **fields):
        again = await queue_tickets.ticket_by_id(ticket.id)
        raise TICKETS.refuse(action, again.status if again else "changed", "该号的状态已变化")
    ticket.status = TICKETS.target(action)
    for name, value in fields.items():
        setattr(ticket, name, value)
    if action == "recall":
        announce(ticket.group.office.code, ticket)
    return TicketOut.model_validate(ticket)
