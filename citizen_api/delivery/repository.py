"""Every delivery query: shipments and their tracking events (cases are the cases domain's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from citizen_api.delivery import transitions
from citizen_api.delivery.models import OUTBOUND, Shipment, ShipmentEvent


async def shipment_by_id(shipment_id: int) -> Shipment | None:
    return await Shipment.get_or_none(id=shipment_id)


async def shipments_of(application_id: int) -> list[Shipment]:
    return await Shipment.filter(application_id=application_id).order_by("id")


async def has_outbound(application_id: int) -> bool:
    return await Shipment.filter(application_id=application_id, direction=OUTBOUND).exists()


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
    the clash when it was registered (``shipments.warn_if_clash``).
    """
    for query in (Shipment.filter(company=company, waybill=waybill), Shipment.filter(waybill=waybill)):
        ids = await query.order_by("-id").values_list("id", "direction")
        if ids:
            chosen = next((i for i, d in ids if d == OUTBOUND), ids[0][0])
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


async def create_shipment(**values: Any) -> Shipment:
    """INSERT; raises IntegrityError when (company, waybill, direction) is registered already."""
    return await Shipment.create(status=transitions.SUBSCRIBE_PENDING, **values)


async def move_shipment(shipment_id: int, event: str, **fields: Any) -> bool:
    """Apply a subscription event of ``transitions.EVENTS`` if the shipment's status allows it now."""
    changed = await Shipment.filter(id=shipment_id, status__in=list(transitions.sources(event))).update(
        status=transitions.target(event), **fields
    )
    return changed == 1


async def update_shipment(shipment_id: int, **fields: Any) -> None:
    """Store what a report taught (under the row lock ``shipment_for_report`` took); a new status only
    when ``transitions.takes_over`` allowed it."""
    await Shipment.filter(id=shipment_id).update(**fields)


async def subscription_failed(shipment_id: int, attempts: int, error: str) -> None:
    await Shipment.filter(id=shipment_id, status=transitions.SUBSCRIBE_PENDING).update(
        subscribe_attempts=attempts, subscribe_error=error
    )


async def claim_silence(shipment: Shipment, now: datetime) -> bool:
    """Mark this silence handled, unless another process did so first."""
    claimed = await Shipment.filter(id=shipment.id, silence_checked_at=shipment.silence_checked_at).update(
        silence_checked_at=now
    )
    return claimed == 1


async def event_exists(dedupe_key: str) -> bool:
    return await ShipmentEvent.filter(dedupe_key=dedupe_key).exists()


async def add_event(**values: Any) -> ShipmentEvent:
    """INSERT; raises IntegrityError for a report recorded already (``dedupe_key``)."""
    return await ShipmentEvent.create(**values)


async def pending_subscriptions(limit: int) -> list[Shipment]:
    return await Shipment.filter(status=transitions.SUBSCRIBE_PENDING).order_by("id").limit(limit)


async def silent_shipments(threshold: datetime, limit: int) -> list[Shipment]:
    """Live shipments nothing new was heard about since ``threshold``, not yet handled for this silence."""
    heard_before = Q(last_heard_at__lt=threshold) | Q(last_heard_at__isnull=True, subscribed_at__lt=threshold)
    not_handled = Q(silence_checked_at__isnull=True) | Q(silence_checked_at__lt=threshold)
    return (
        await Shipment.filter(heard_before & not_handled, status__in=list(transitions.LIVE_STATUSES))
        .order_by("id")
        .limit(limit)
    )


async def staff_page(scope, status: str | None, direction: str | None, offset: int, limit: int):
    """(total, rows) of the shipments ``scope`` (the staff member's departments) lets them see."""
    query = scope(Shipment.all())
    if status:
        query = query.filter(status=status)
    if direction:
        query = query.filter(direction=direction)
    total = await query.count()
    return total, await query.order_by("-id").offset(offset).limit(limit)
