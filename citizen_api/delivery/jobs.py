"""Periodic delivery checks: retry pending subscriptions, and poll + warn about silent parcels.

``run_delivery_checks(ctx)`` is safe to run from several processes: every change is a conditional
UPDATE or an idempotent report, and staff warnings carry dedupe keys.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog

from citizen_api.cases import service as cases
from citizen_api.delivery import repository as repo
from citizen_api.delivery import shipments, tracking
from citizen_api.delivery.kuaidi100 import Kuaidi100Error
from citizen_api.delivery.models import Shipment
from citizen_api.delivery.staff_warnings import warn_staff
from citizen_api.jobs import JobContext

log = structlog.get_logger("onetrip.delivery.jobs")

BATCH = 200


async def run_delivery_checks(ctx: JobContext) -> int:
    """One pass; returns how many shipments it acted on (with the process's kuaidi100 client)."""
    now = ctx.now.astimezone(UTC)  # SQLite compares stored times as text: query in UTC, as they are stored
    return await _retry_subscriptions(ctx) + await _check_silence(now, ctx)


async def _retry_subscriptions(ctx: JobContext) -> int:
    acted = 0
    limit = ctx.settings.kuaidi100_subscribe_attempts
    for shipment in await repo.pending_subscriptions(BATCH):
        acted += 1
        if shipment.subscribe_attempts >= limit:
            await _give_up(ctx, shipment)
            continue
        await shipments.subscribe(ctx.state, shipment.id)
    return acted


async def _give_up(ctx: JobContext, shipment: Shipment) -> None:
    async with ctx.atomic():
        if await repo.move_shipment(shipment.id, "give_up"):
            case = await cases.case_by_id(shipment.application_id)
            await warn_staff(
                shipment.department_code,
                "delivery.warning",
                {
                    "application_id": case.id,
                    "number": case.number,
                    "waybill": shipment.waybill,
                    "company": shipment.company,
                    "state": "subscribe_failed",
                    "state_text": "物流跟踪订阅失败，请人工跟踪",
                    "context": shipment.subscribe_error,
                },
                dedupe_key=f"delivery.subfail:{shipment.id}",
            )


async def _check_silence(now: datetime, ctx: JobContext) -> int:
    threshold = now - timedelta(hours=ctx.settings.kuaidi100_silence_hours)
    acted = 0
    for shipment in await repo.silent_shipments(threshold, BATCH):
        acted += 1
        found_new = await _poll_once(ctx, shipment)
        async with ctx.atomic():
            if not await repo.claim_silence(shipment, now):
                continue  # another process handled this silence
            case = await cases.case_by_id(shipment.application_id)
            await warn_staff(
                shipment.department_code,
                "delivery.silent",
                {
                    "application_id": case.id,
                    "number": case.number,
                    "waybill": shipment.waybill,
                    "company": shipment.company,
                    "silent_hours": ctx.settings.kuaidi100_silence_hours,
                    "poll_found_new": found_new,
                },
                dedupe_key=f"delivery.silent:{shipment.id}:{now:%Y%m%d%H}",
            )
    return acted


async def _poll_once(ctx: JobContext, shipment: Shipment) -> bool:
    """Ask kuaidi100 for the current record; a new scan is recorded like a push. True if new."""
    try:
        result = await shipments.client_of(ctx.state).query(shipment.company, shipment.waybill)
    except Kuaidi100Error as exc:
        log.warning("kuaidi100 query failed", shipment=shipment.id, error=str(exc))
        return False
    report = tracking.report_from_result(result, company=shipment.company, number=shipment.waybill)
    if report.event_at is None and not report.context:
        return False
    async with ctx.atomic():
        outcome, _ = await tracking.apply_report(report, source="poll")
    return outcome == "recorded"
