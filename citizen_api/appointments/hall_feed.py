"""The hall TV (public, no personal data): today's latest calls of a hall, and their live stream.

Only a ticket's number, its window and when it was called ever leave here: no name, no booking.
"""

from __future__ import annotations

from starlette.responses import StreamingResponse

from citizen_api import clock
from citizen_api.appointments import late_service
from citizen_api.appointments.broker import HallBroker, sse_events
from citizen_api.appointments.models import Office, QueueTicket
from citizen_api.appointments.repository import halls, queue_tickets
from citizen_api.appointments.schemas_hall import HallCall, HallFeed, HallOffice
from citizen_api.errors import ApiError

FEED_LENGTH = 10
PING_SECONDS = 15.0


def call_event(ticket: QueueTicket) -> dict:
    """What a TV receives of one call (the feed's item, as JSON)."""
    return HallCall(number=ticket.number, window=ticket.window, called_at=ticket.called_at).model_dump(
        mode="json"
    ) | {"called_at": clock.to_local(ticket.called_at).isoformat(timespec="seconds")}


async def _office(code: str) -> Office:
    office = await halls.office_by_code(code) if 0 < len(code) <= 32 else None
    if office is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办事大厅")
    return office


async def feed(office_code: str) -> HallFeed:
    office = await _office(office_code)
    calls = await queue_tickets.latest_calls(office.id, clock.today(), FEED_LENGTH)
    return HallFeed(
        office=HallOffice(code=office.code, name=office.name),
        called=[HallCall(number=t.number, window=t.window, called_at=t.called_at) for t in calls],
        late_windows=await late_service.office_late_windows(office.code),
    )


async def stream(office_code: str, broker: HallBroker) -> StreamingResponse:
    office = await _office(office_code)
    return StreamingResponse(
        sse_events(broker, office.code, PING_SECONDS),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
