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


async def shipment_by_waybill(company: str, waybill: str, *, lock: bool = False) -> Shipment | None:
    """The shipment a push is about; kuaidi100 may have corrected the company, so fall back to the number."""
    query = Shipment.filter(company=company, waybill=waybill)
    if lock:
        query = query.select_for_update()
    found = await query.first()
    if found is None:
        query = Shipment.filter(waybill=waybill).order_by("-id")
        if lock:
            query = query.select_for_update()
        found = await query.first()
    return found


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
