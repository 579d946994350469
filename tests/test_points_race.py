"""Races on PostgreSQL: a result at a village point is handed over once however often 已领取 is pressed
at once (the others answer 409 ALREADY_HANDED_OVER), the case is delivered once, the villager told once."""

from __future__ import annotations

import asyncio
from collections import Counter

from citizen_api.cases.models import Application, TimelineEntry
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.points_fixtures import STAFF, filing, scans, setup, upload

pytest_plugins = ["tests.appointments_plugin"]  # pg_client, pg_settings


async def test_six_presses_of_handed_over_at_once_hand_it_over_once(pg_client, pg_settings):
    client = pg_client
    p = await setup(client, pg_settings)
    body = filing(
        p.item, await scans(client, p.agent, p.item), await upload(client, p.agent, "signature.png")
    )
    case = (await client.post(f"{STAFF}/point-filings", json=body, headers=p.agent)).json()
    for headers, action in ((p.window, "accept"), (p.approver, "approve")):
        assert (await f.act(client, headers, case["id"], action)).status_code == 200
    assert (await f.act(client, p.window, case["id"], "deliver", {"channel": "point"})).status_code == 200
    (parcel,) = (await client.get(f"{STAFF}/point-deliveries", headers=p.agent)).json()["items"]

    url = f"{STAFF}/point-deliveries/{parcel['id']}/hand-over"
    answers = await asyncio.gather(*(client.post(url, headers=p.agent) for _ in range(6)))
    assert Counter(r.status_code for r in answers) == {200: 1, 409: 5}, [r.text for r in answers]
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"ALREADY_HANDED_OVER"}
    assert (await Application.get(id=case["id"])).status == "delivered"
    assert await TimelineEntry.filter(application_id=case["id"], to_status="delivered").count() == 1
    assert await Notification.filter(event="point.handed_over").count() == 1
