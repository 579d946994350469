"""Shipments as the citizen and the staff see them: the newest scan first, names and texts filled in."""

from __future__ import annotations

from datetime import UTC, datetime

from citizen_api.cases import service as cases
from citizen_api.delivery import repository as repo
from citizen_api.delivery import transitions
from citizen_api.delivery.models import OUTBOUND, Shipment
from citizen_api.delivery.schemas import DeliveryEventView, ShipmentView, StaffShipmentSummary
from citizen_api.delivery.waybill import COMPANIES

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOT_SCANS = (transitions.ABORT, "empty")  # kuaidi100's abort, a push without scans
_RECIPIENT_FIELDS = ("name", "phone", "province", "city", "district", "address")


def _newest_first(event) -> tuple:
    """Newest scan first; of scans at the same time the furthest state first (a signature above a
    transit scan of its minute); scans without a time last."""
    at = event.event_at
    return (at is not None, at or _EPOCH, transitions.rank(event.state) or 0, event.id)


def _status_text(shipment: Shipment) -> str:
    return transitions.STATUS_TEXT.get(shipment.status, shipment.status)


async def shipment_views(shipments: list[Shipment]) -> list[ShipmentView]:
    events = sorted(await repo.events_of([s.id for s in shipments]), key=_newest_first, reverse=True)
    by_shipment: dict[int, list[DeliveryEventView]] = {}
    for event in events:
        if event.state in _NOT_SCANS:
            continue
        by_shipment.setdefault(event.shipment_id, []).append(
            DeliveryEventView(
                state=event.state,
                state_text=transitions.state_text(event.state),
                at=event.event_at,
                context=event.context,
            )
        )
    return [
        ShipmentView(
            id=s.id,
            direction=s.direction,
            company=s.company,
            company_name=COMPANIES.get(s.company, s.company),
            waybill=s.waybill,
            status=s.status,
            status_text=_status_text(s),
            last_event_at=s.last_event_at,
            events=by_shipment.get(s.id, []),
        )
        for s in shipments
    ]


async def staff_summaries(shipments: list[Shipment], settings) -> list[StaffShipmentSummary]:
    """The staff list: the case's number, and the recipient of an outbound parcel masked."""
    by_case = await cases.cases_by_id(s.application_id for s in shipments)
    out = []
    for shipment in shipments:
        case = by_case[shipment.application_id]
        recipient = None
        if shipment.direction == OUTBOUND:
            masked = cases.masked_delivery_address(case, settings)
            if masked:
                recipient = {k: masked.get(k) for k in _RECIPIENT_FIELDS}
        out.append(
            StaffShipmentSummary(
                id=shipment.id,
                application_id=case.id,
                application_number=case.number,
                department_code=shipment.department_code,
                direction=shipment.direction,
                company=shipment.company,
                waybill=shipment.waybill,
                status=shipment.status,
                status_text=_status_text(shipment),
                last_event_at=shipment.last_event_at,
                recipient=recipient,
            )
        )
    return out
