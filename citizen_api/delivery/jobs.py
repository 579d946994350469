"""Periodic delivery checks: retry pending subscriptions, and poll + warn about silent parcels.

``run_delivery_checks(ctx)`` is safe to run from several processes: every change is a conditional
UPDATE or an idempotent report, and staff warnings carry dedupe keys.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog

from citizen_api import db
from citizen_api.cases.models import Application
from citizen_api.delivery import models as m
from citizen_api.delivery import notify, service, tracking
from citizen_api.delivery import repository as repo
from citizen_api.delivery.kuaidi100 import Kuaidi100Error
from citizen_api.delivery.models import Shipment
from citizen_api.jobs import JobContext

log = structlog.get_logger("onetrip.delivery.jobs")

BATCH = 200


async def run_delivery_checks(ctx: JobContext) -> int:
    """One pass; returns how many shipments it acted on (with the process's kuaidi100 client)."""
    now = ctx.now.astimezone(UTC)  # SQLite compares stored times as text: query in UTC, as they are stored
    return await _retry_subscriptions(ctx.state) + await _check_silence(now, ctx.state)


async def _retry_subscriptions(state) -> int:
    acted = 0
    limit = state.settings.kuaidi100_subscribe_attempts
    for shipment in await repo.pending_subscriptions(BATCH):
        acted += 1
        if shipment.subscribe_attempts >= limit:
            await _give_up(shipment)
            continue
        await service.subscribe_shipment(state, shipment.id)
    return acted


async def _give_up(shipment: Shipment) -> None:
    async with db.atomic():
        moved = await Shipment.filter(id=shipment.id, status=m.SUBSCRIBE_PENDING).update(
            status=m.SUBSCRIBE_FAILED
        )
        if moved:
            application = await Application.get(id=shipment.application_id)
            await notify.warn_staff(
                shipment.department_code,
                "delivery.warning",
                {
                    "application_id": application.id,
                    "number": application.number,
                    "waybill": shipment.waybill,
                    "company": shipment.company,
                    "state": "subscribe_failed",
                    "state_text": "物流跟踪订阅失败，请人工跟踪",
                    "context": shipment.subscribe_error,
                },
                dedupe_key=f"delivery.subfail:{shipment.id}",
            )


async def _check_silence(now: datetime, state) -> int:
    threshold = now - timedelta(hours=state.settings.kuaidi100_silence_hours)
    acted = 0
    for shipment in await repo.silent_shipments(threshold, BATCH):
        acted += 1
        found_new = await _poll_once(state, shipment)
        async with db.atomic():
            claimed = await Shipment.filter(
                id=shipment.id, silence_checked_at=shipment.silence_checked_at
            ).update(silence_checked_at=now)
            if not claimed:
                continue  # another process handled this silence
            application = await Application.get(id=shipment.application_id)
            await notify.warn_staff(
                shipment.department_code,
                "delivery.silent",
                {
                    "application_id": application.id,
                    "number": application.number,
                    "waybill": shipment.waybill,
                    "company": shipment.company,
                    "silent_hours": state.settings.kuaidi100_silence_hours,
                    "poll_found_new": found_new,
                },
                dedupe_key=f"delivery.silent:{shipment.id}:{now:%Y%m%d%H}",
            )
    return acted


async def _poll_once(state, shipment: Shipment) -> bool:
    """Ask kuaidi100 for the current record; a new scan is recorded like a push. True if new."""
    try:
        result = await service.client_of(state).query(shipment.company, shipment.waybill)
    except Kuaidi100Error as exc:
        log.warning("kuaidi100 query failed", shipment=shipment.id, error=str(exc))
        return False
    report = tracking.report_from_result(result, company=shipment.company, number=shipment.waybill)
    if report.event_at is None and not report.context:
        return False
    async with db.atomic():
        outcome, _ = await tracking.apply_report(report, source="poll")
    return outcome == "recorded"
