"""The periodic delivery checks: retrying subscriptions, and polling + warning about silent parcels."""

from __future__ import annotations

from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.db import atomic
from citizen_api.delivery import service
from citizen_api.delivery.jobs import run_delivery_checks
from citizen_api.delivery.models import Shipment, ShipmentEvent
from citizen_api.security.principal import Principal
from tests.conftest import create_staff
from tests.delivery_fixtures import ADDRESS, citizen, k100_sim, live, make_case, outbox_rows, s10  # noqa: F401
from tests.job_runs import run_job

START = datetime(2026, 3, 2, 10, 0, tzinfo=clock.CST)


async def _ship(live, serial="11223344"):
    alice, _ = await citizen(live.api, "alice")
    clerk = await create_staff("win1", "window", "GA")
    case = await make_case(alice, address=ADDRESS, settings=live.settings)
    waybill = s10(serial)
    async with atomic():
        await service.record_post_delivery(
            live.state, case, "ems", waybill, Principal(clerk.id, "window", "GA")
        )
    return case, waybill, clerk


async def test_failed_subscription_is_retried_by_the_job(live, k100_sim):
    k100_sim.fail("/poll", status=500)
    _case, waybill, _clerk = await _ship(live)
    shipment = await Shipment.get(waybill=waybill)
    assert shipment.status == "subscribe_pending" and shipment.subscribe_attempts == 1
    assert waybill not in k100_sim.subscriptions

    assert await run_job(run_delivery_checks, live.state, clock.now()) == 1
    assert (await Shipment.get(waybill=waybill)).status == "tracking"
    assert k100_sim.subscriptions[waybill].callbackurl.endswith("/api/v1/callbacks/kuaidi100")
    assert await run_job(run_delivery_checks, live.state, clock.now()) == 0


async def test_subscription_given_up_after_the_attempts_warns_staff(live, k100_sim):
    k100_sim.fail("/poll", return_code="700", times=100)
    _case, waybill, clerk = await _ship(live)
    for _ in range(live.settings.kuaidi100_subscribe_attempts + 1):
        await run_job(run_delivery_checks, live.state, clock.now())
    shipment = await Shipment.get(waybill=waybill)
    assert shipment.status == "subscribe_failed"
    assert shipment.subscribe_attempts == live.settings.kuaidi100_subscribe_attempts
    warnings = await outbox_rows("delivery.warning", user_id=clerk.id)
    assert len(warnings) == 1 and warnings[0].payload["state"] == "subscribe_failed"


async def test_silence_polls_once_and_warns(live, k100_sim):
    clock.set_now(START)
    _case, waybill, clerk = await _ship(live)
    await k100_sim.push(waybill, "1", context="已收寄", time="2026-03-02 10:00:00")

    # within the silence allowance: nothing to do
    assert await run_job(run_delivery_checks, live.state, START + timedelta(hours=23)) == 0

    # kuaidi100 knows of a new scan but never pushed it: the poll finds it
    k100_sim.add_scan(waybill, "0", "到达北京处理中心", "2026-03-03 08:00:00")
    later = START + timedelta(hours=25)
    assert await run_job(run_delivery_checks, live.state, later) == 1
    assert k100_sim.calls.count("/poll/query.do") == 1
    polled = await ShipmentEvent.get(shipment__waybill=waybill, source="poll")
    assert polled.context == "到达北京处理中心"
    warnings = await outbox_rows("delivery.silent", user_id=clerk.id, audience="staff")
    assert len(warnings) == 1 and warnings[0].payload["poll_found_new"] is True

    # the same silence is handled once
    assert await run_job(run_delivery_checks, live.state, later + timedelta(minutes=5)) == 0
    assert k100_sim.calls.count("/poll/query.do") == 1
