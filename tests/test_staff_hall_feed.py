"""The hall TV: the public feed of today's calls (no personal data) and the live SSE stream, fed
across API processes through Redis (a real second process and a real Redis), or in-process
without Redis; a TV that stops reading is dropped without holding the others back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.appointments.broker import CLIENT_QUEUE, HallBroker
from citizen_api.appointments.hall import issue
from citizen_api.appointments.models import WindowGroup
from tests.appointments_fixtures import bearer, staff
from tests.auth_fixtures import serve
from tests.catalog_fixtures import api_process
from tests.conftest import make_settings
from tests.test_staff_hall_lookup import MORNING, booked, hall_with_window, person

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

NO_WECHAT = "http://127.0.0.1:9"  # never called: users are created directly
LONG_TOKENS = 365 * 24 * 3600
FEED = "/api/v1/hall/SMZX/feed"
STREAM = "/api/v1/hall/SMZX/stream"
WAIT = 30  # seconds: only a guard against a hang, never asserted on


async def test_the_feed_shows_calls_and_no_personal_data(appt_client, appt_settings):
    hall, _ = await hall_with_window("5")
    alice = await person(appt_client, appt_settings, "alice", "王小明", "13812345678")
    booking = await booked(appt_client, hall, alice)
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    clock.set_now(MORNING)
    assert (await appt_client.get(FEED)).json() == {
        "office": {"code": "SMZX", "name": "市民中心政务服务大厅"},
        "called": [],
        "late_windows": [],
    }

    await appt_client.post(f"/api/v1/staff/appointments/{booking['id']}/check-in", headers=clerk)
    await appt_client.post("/api/v1/staff/queue/walk-in", json={"group": hall.group.code}, headers=clerk)
    body = {"group": hall.group.code, "window": "5"}
    first = (await appt_client.post("/api/v1/staff/queue/call-next", json=body, headers=clerk)).json()
    clock.set_now(MORNING + timedelta(minutes=1))
    await appt_client.post("/api/v1/staff/queue/call-next", json={**body, "window": "6"}, headers=clerk)

    feed = await appt_client.get(FEED)  # no login
    assert feed.status_code == 200, feed.text
    called = feed.json()["called"]
    assert [(c["number"], c["window"]) for c in called] == [("AW001", "6"), ("A001", "5")]  # newest first
    assert set(called[0]) == {"number", "window", "called_at"} and called[0]["called_at"].endswith("+08:00")
    for secret in ("王小明", "王*明", "13812345678", "5678", booking["check_in_code"], "appointment", "item"):
        assert secret not in feed.text

    clock.set_now(MORNING + timedelta(minutes=2))
    await appt_client.post(f"/api/v1/staff/queue/{first['id']}/recall", headers=clerk)
    assert [c["number"] for c in (await appt_client.get(FEED)).json()["called"]] == ["A001", "AW001"]
    # yesterday's calls are not shown the next day
    clock.set_now(MORNING + timedelta(days=1))
    assert (await appt_client.get(FEED)).json()["called"] == []
    for unknown in ("/api/v1/hall/NOPE/feed", "/api/v1/hall/NOPE/stream", f"/api/v1/hall/{'X' * 40}/feed"):
        assert (await appt_client.get(unknown)).status_code == 404


@contextlib.asynccontextmanager
async def tv(base_url: str) -> AsyncIterator[asyncio.Queue]:
    """A hall TV connected to ``base_url``: every SSE line it reads lands in the queue."""
    lines: asyncio.Queue = asyncio.Queue()
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=WAIT) as client,
        client.stream("GET", STREAM) as resp,
    ):
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")

        async def read() -> None:
            async for line in resp.aiter_lines():
                await lines.put(line)

        reader = asyncio.create_task(read())
        try:
            assert await asyncio.wait_for(lines.get(), WAIT) == "retry: 2000"  # subscribed
            yield lines
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await reader


@contextlib.asynccontextmanager
async def app_client(settings) -> AsyncIterator[httpx.AsyncClient]:
    """This process's app (its lifespan run: the broker subscribes), over ASGI."""
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=WAIT
        ) as client:
            yield client


async def next_call(lines: asyncio.Queue) -> dict:
    while True:
        line = await asyncio.wait_for(lines.get(), WAIT)
        if line == "event: called":
            data = await asyncio.wait_for(lines.get(), WAIT)
            assert data.startswith("data: ")
            return json.loads(data[len("data: ") :])


async def _call(client: httpx.AsyncClient, headers: dict, group: str, window: str) -> dict:
    # the ticket is issued directly: these tests run on the real clock (the other process's), and
    # after the hall's closing time a walk-in is refused (延时服务) while a call is still made
    await issue(await WindowGroup.get(code=group), "walk_in", None)
    resp = await client.post(
        "/api/v1/staff/queue/call-next", json={"group": group, "window": window}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_a_call_on_one_process_reaches_a_tv_on_another_through_redis(tmp_path, database_url, redis_dsn):
    settings = make_settings(
        tmp_path, database_url, NO_WECHAT, redis_url=redis_dsn, access_token_ttl_seconds=LONG_TOKENS
    )
    async with app_client(settings) as here:
        hall, _ = await hall_with_window("5")
        clock.reset()
        clerk = await staff(settings, "clerk", "window", "GA")
        var_dir = tmp_path / "other"
        var_dir.mkdir()
        with api_process(database_url, var_dir, ONETRIP_REDIS_URL=redis_dsn) as there:
            async with tv(there) as lines:
                ticket = await _call(here, clerk, hall.group.code, "5")
                event = await next_call(lines)
                assert event == {"number": ticket["number"], "window": "5", "called_at": event["called_at"]}
                assert event["called_at"].endswith("+08:00")
                # a recall is shown again
                await here.post(f"/api/v1/staff/queue/{ticket['id']}/recall", headers=clerk)
                assert (await next_call(lines))["number"] == ticket["number"]


async def test_without_redis_the_process_fans_out_itself(tmp_path, database_url):
    settings = make_settings(tmp_path, database_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS)
    async with serve(settings) as server:
        hall, _ = await hall_with_window("5")
        clock.reset()
        clerk = bearer(settings, (await _clerk_id()), "window", "GA")
        async with tv(server.base_url) as first, tv(server.base_url) as second:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=WAIT) as client:
                ticket = await _call(client, clerk, hall.group.code, "7")
            for lines in (first, second):
                assert (await next_call(lines))["number"] == ticket["number"]


async def _clerk_id() -> int:
    from citizen_api.users.models import User

    return (await User.create(role="window", username="clerk", department_code="GA")).id


async def test_a_tv_that_stops_reading_is_dropped_and_the_others_keep_up():
    broker = HallBroker(None)
    with broker.client("SMZX") as stalled, broker.client("SMZX") as reading:
        received = []
        for n in range(CLIENT_QUEUE + 5):
            await broker.publish("SMZX", {"number": f"A{n:03d}"})
            received.append(json.loads(reading.queue.get_nowait())["number"])
        assert received == [f"A{n:03d}" for n in range(CLIENT_QUEUE + 5)]
        assert stalled.queue.get_nowait() is None  # its stream ends: the browser reconnects
        assert broker.clients("SMZX") == 1
    assert broker.clients("SMZX") == 0
