"""Every delivery query."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.catalog.models import ServiceItem
from citizen_api.delivery import models as m
from citizen_api.delivery.models import Shipment, ShipmentEvent


async def own_application(application_id: int, user_id: int, *, lock: bool = False) -> Application | None:
    query = Application.filter(id=application_id, applicant_id=user_id)
    if lock:
        query = query.select_for_update()
    return await query.first()


async def item_deliverable(item_id: int) -> bool:
    return bool(await ServiceItem.filter(id=item_id).first().values_list("deliverable", flat=True))


async def save_address(application_id: int, stored: str) -> None:
    await Application.filter(id=application_id).update(delivery_address_enc=stored)


async def shipments_of(application_id: int) -> list[Shipment]:
    return await Shipment.filter(application_id=application_id).order_by("id")


async def events_of(shipment_ids: list[int]) -> list[ShipmentEvent]:
    if not shipment_ids:
        return []
    return await ShipmentEvent.filter(shipment_id__in=shipment_ids).order_by("-event_at", "-id")


async def shipment_for_report(company: str, waybill: str, *, lock: bool = False) -> Shipment | None:
    """The one shipment a tracking report (push or poll) of ``waybill`` is about.

    By (company, number) first; kuaidi100 may have corrected the company, so then by the number alone.
    A number may be registered in both directions (the hall's mailing and a citizen's mail-in claim):
    it is one physical parcel, and the hall's own outbound registration (entered by staff from the
    label its EMS desk printed) takes it. A mail-in claim of the same number gets none of that trace —
    neither another citizen's signature nor a false "materials arrived" — and staff were warned of
    the clash when it was registered (``service.warn_if_clash``).
    """
    for query in (Shipment.filter(company=company, waybill=waybill), Shipment.filter(waybill=waybill)):
        ids = await query.order_by("-id").values_list("id", "direction")
        if ids:
            chosen = next((i for i, d in ids if d == m.OUTBOUND), ids[0][0])
            found = Shipment.filter(id=chosen)
            if lock:
                found = found.select_for_update()
            return await found.first()
    return None


async def same_number_other_direction(shipment: Shipment) -> list[Shipment]:
    return await Shipment.filter(company=shipment.company, waybill=shipment.waybill).exclude(
        direction=shipment.direction
    )


async def registered(company: str, waybill: str, direction: str) -> Shipment | None:
    return await Shipment.filter(company=company, waybill=waybill, direction=direction).first()


async def event_exists(dedupe_key: str) -> bool:
    return await ShipmentEvent.filter(dedupe_key=dedupe_key).exists()


async def add_timeline(
    application: Application,
    note: str,
    *,
    kind: str = "delivery",
    actor_id: int | None = None,
    actor_role: str = "system",
    from_status: str | None = None,
    to_status: str | None = None,
) -> None:
    await TimelineEntry.create(
        application_id=application.id,
        actor_id=actor_id,
        actor_role=actor_role,
        kind=kind,
        from_status=from_status,
        to_status=to_status or application.status,
        note=note,
    )


async def mark_delivered(application_id: int, now: datetime) -> bool:
    """approved | rejected → delivered, as one conditional UPDATE (a second push finds nothing to do)."""
    changed = await Application.filter(id=application_id, status__in=["approved", "rejected"]).update(
        status="delivered", finished_at=now
    )
    return changed == 1


async def pending_subscriptions(limit: int) -> list[Shipment]:
    return await Shipment.filter(status=m.SUBSCRIBE_PENDING).order_by("id").limit(limit)


async def silent_shipments(threshold: datetime, limit: int) -> list[Shipment]:
    """Live shipments nothing new was heard about since ``threshold``, not yet handled for this silence."""
    heard_before = Q(last_heard_at__lt=threshold) | Q(last_heard_at__isnull=True, subscribed_at__lt=threshold)
    not_handled = Q(silence_checked_at__isnull=True) | Q(silence_checked_at__lt=threshold)
    return (
        await Shipment.filter(heard_before & not_handled, status__in=list(m.LIVE_STATUSES))
        .order_by("id")
        .limit(limit)
    )


def staff_query(scope, status: str | None, direction: str | None):
    query = scope(Shipment.all())
    if status:
        query = query.filter(status=status)
    if direction:
        query = query.filter(direction=direction)
    return query
