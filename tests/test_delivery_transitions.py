"""The shipment lifecycle table (``citizen_api.delivery.transitions``), walked.

- Tracking reports, over the signed kuaidi100 push endpoint: for every state a shipment may have
  reached and every state a report may bring, newer and older, the shipment shows what the order
  table allows (never back in rank, nothing after a final rank, a final state always taken) and
  nothing else.
- The subscription's events: every (status, event) pair the table lists moves the shipment where it
  says, every other pair changes nothing; and kuaidi100's abort and the job giving up on a
  subscription move shipments of every status exactly as the table says.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.delivery import repository as shipments_repo
from citizen_api.delivery import transitions as t
from citizen_api.delivery.jobs import run_delivery_checks
from citizen_api.delivery.models import INBOUND, Shipment
from tests.conftest import Api, make_settings
from tests.delivery_fixtures import citizen, k100_sim, make_case, s10  # noqa: F401
from tests.job_runs import run_job

_serials = itertools.count(10_000_000)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=clock.CST)


@dataclass
class Desk:
    client: httpx.AsyncClient
    settings: object
    state: object
    case_id: int
    headers: dict

    async def shipment(self, status: str = t.TRACKING, **fields) -> Shipment:
        """A mail-in shipment of the desk's case, registered as ``status`` (inbound: the case's own
        status never moves, so only the table is seen)."""
        waybill = s10(str(next(_serials)))
        fields.setdefault("subscribed_at", clock.now())
        return await Shipment.create(
            application_id=self.case_id,
            direction=INBOUND,
            department_code="GA",
            company="ems",
            waybill=waybill,
            status=status,
            **fields,
        )

    async def push(self, waybill: str, state: str, at: datetime | None, *, status: str = "polling") -> None:
        scans = (
            [] if at is None else [{"time": f"{at:%Y-%m-%d %H:%M:%S}", "ftime": f"{at:%Y-%m-%d %H:%M:%S}"}]
        )
        for scan in scans:
            scan["context"] = f"{state} @ {scan['time']}"
        last = {"state": state, "com": "ems", "nu": waybill, "data": scans}
        param = json.dumps(
            {"status": status, "message": f"{status} {at}", "lastResult": last}, ensure_ascii=False
        )
        sign = hashlib.md5((param + self.settings.kuaidi100_salt).encode()).hexdigest().upper()
        resp = await self.client.post("/api/v1/callbacks/kuaidi100", data={"param": param, "sign": sign})
        assert resp.status_code == 200 and resp.json()["result"] is True, resp.text

    async def statuses(self) -> dict[int, str]:
        """What the citizen sees: each shipment's status in the case's delivery view."""
        resp = await self.client.get(f"/api/v1/applications/{self.case_id}/delivery", headers=self.headers)
        assert resp.status_code == 200, resp.text
        return {s["id"]: s["status"] for s in resp.json()["shipments"]}


@pytest.fixture
async def desk(tmp_path, database_url, wechat_sim, k100_sim) -> AsyncIterator[Desk]:
    settings = make_settings(
        tmp_path, database_url, wechat_sim.base_url, kuaidi100_api_base=k100_sim.base_url
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
            alice, headers = await citizen(Api(client), "alice")
            case = await make_case(alice, status="accepted")
            yield Desk(client, settings, app.state.running, case.id, headers)


def _expected(reached: str, reported: str, newer: bool) -> str:
    """The order table read as a rule: a report takes over unless it goes back in rank or comes after a
    final rank; a final state is taken even when its scan is older; 疑难件 only as the newest news."""
    progress = t.STATES[reached].rank or t.CREATED  # 疑难件 keeps the rank reached before it: none here
    to = t.STATES[reported].rank
    if progress >= t.FINAL:
        return t.STATES[reached].status
    if to is not None and to >= t.FINAL:
        return t.STATES[reported].status
    if newer and (to is None or to >= progress):
        return t.STATES[reported].status
    return t.STATES[reached].status


async def test_every_tracking_report_moves_a_shipment_as_the_order_table_says(desk):
    expected: dict[int, str] = {}
    for reached, reported in itertools.product(t.STATES, t.STATES):
        for newer in (True, False):
            shipment = await desk.shipment()
            await desk.push(shipment.waybill, reached, T0)
            await desk.push(
                shipment.waybill, reported, T0 + (timedelta(hours=1) if newer else -timedelta(hours=1))
            )
            expected[shipment.id] = _expected(reached, reported, newer)
    assert await desk.statuses() == expected


async def test_every_subscription_event_of_the_table_and_no_other(desk):
    events = sorted({event for _, event in t.EVENTS})
    for status in t.STATUSES:
        for event in events:
            shipment = await desk.shipment(status)
            moved = await shipments_repo.move_shipment(shipment.id, event)
            after = (await Shipment.get(id=shipment.id)).status
            if (status, event) in t.EVENTS:
                assert moved and after == t.EVENTS[(status, event)], (status, event)
            else:
                assert not moved and after == status, (status, event)


async def test_kuaidi100s_abort_moves_every_status_as_the_table_says(desk):
    """The first abort subscribes again (→ subscribe_pending, then tracking once kuaidi100 accepts);
    the second hands the parcel to staff (→ aborted); a signed or returned parcel stays as it is."""
    first: dict[int, str] = {}
    second: dict[int, str] = {}
    rows = {status: await desk.shipment(status) for status in t.STATUSES}
    for status, shipment in rows.items():
        await desk.push(shipment.waybill, t.ABORT, None, status="abort")
        again = t.EVENTS.get((status, "resubscribe"))
        first[shipment.id] = status if again is None else t.EVENTS[(again, "subscribed")]
    assert await desk.statuses() == first
    for shipment in rows.values():
        await desk.push(shipment.waybill, t.ABORT, None, status="abort")
        second[shipment.id] = t.EVENTS.get((first[shipment.id], "stop"), first[shipment.id])
    assert await desk.statuses() == second
    assert set(second.values()) == {t.ABORTED, *t.ENDED}
    # what staff rely on: a parcel back with someone is never "stopped", a moving one is handed over
    assert [second[rows[s].id] for s in ("signed", "returned", "tracking", "problem")] == [
        "signed",
        "returned",
        "aborted",
        "aborted",
    ]


async def test_the_job_gives_up_only_on_pending_subscriptions(desk):
    attempts = desk.settings.kuaidi100_subscribe_attempts
    rows = {status: await desk.shipment(status, subscribe_attempts=attempts) for status in t.STATUSES}
    await run_job(run_delivery_checks, desk.state, clock.now())
    assert await desk.statuses() == {
        shipment.id: t.EVENTS.get((status, "give_up"), status) for status, shipment in rows.items()
    }
