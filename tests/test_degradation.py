"""Graceful degradation: Redis down keeps citizens served; PostgreSQL down answers 503, then recovers.

Both run against real servers that the test owns (a private ``redis-server``, a private PostgreSQL
cluster): the shared ones are never stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api.app import create_app
from citizen_api.catalog.repository.index import bump_revision
from citizen_api.cli.migrations import migrate_to_head
from drills._private import PrivatePostgres, postgres_missing
from notifications.models import Notification
from tests import cases_fixtures
from tests.appointments_fixtures import make_hall
from tests.conftest import Api, assert_error, make_settings
from tests.private_redis import PrivateRedis, redis_missing


@asynccontextmanager
async def serve(settings) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as client:
            yield client


async def first_open_slot(client: httpx.AsyncClient, item_code: str) -> int:
    days = (await client.get("/api/v1/appointments/days", params={"item_code": item_code})).json()
    for day in (d["date"] for d in days if d["available"]):
        params = {"item_code": item_code, "date": day}
        slots = (await client.get("/api/v1/appointments/slots", params=params)).json()
        if open_slots := [s for s in slots if s["remaining"] > 0]:
            return open_slots[0]["id"]
    raise AssertionError(f"no bookable slot in {days}")


async def test_redis_down_citizens_still_submit_and_book(tmp_path, database_url, wechat_sim):
    if reason := redis_missing():
        pytest.skip(reason)
    redis = PrivateRedis().start()
    try:
        settings = make_settings(
            tmp_path, database_url, wechat_sim.base_url, redis_url=redis.url, catalog_refresh_seconds=0.1
        )
        async with serve(settings) as client:
            item = await cases_fixtures.published_item()
            hall = await make_hall()
            assert (await client.get("/readyz")).status_code == 200

            redis.stop()
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"] == {"database": True, "redis": False}

            # everything a citizen does still works: login, search, guide, submit, book, progress
            # (without waiting for a Redis timeout each: bench/waits.py prints how long they take)
            alice = await cases_fixtures.citizen(Api(client), client)
            await bump_revision()  # the item was made directly: tell the index, as the catalog does
            for _ in range(60):  # the index watches the revision in the database, not in Redis
                found = await client.get("/api/v1/items", params={"q": "户口"})
                assert found.status_code == 200
                if item.code in [i["code"] for i in found.json()["items"]]:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the search index never saw the new item")
            assert (await client.get(f"/api/v1/items/{item.code}")).status_code == 200
            case = await cases_fixtures.submit(client, alice, item)
            assert case["status"] == "submitted"
            slot_id = await first_open_slot(client, hall.item.code)
            booked = await client.post(
                "/api/v1/appointments",
                json={"slot_id": slot_id, "item_code": hall.item.code},
                headers=alice.headers,
            )
            assert booked.status_code == 201, booked.text
            progress = await client.get(
                "/api/v1/progress", params={"number": case["number"], "phone_tail": alice.phone[-4:]}
            )
            assert progress.status_code == 200, progress.text

            # the messages wait in the outbox for Redis (and the worker) to come back
            events = set(
                await Notification.filter(user_id=alice.user_id, status="pending").values_list(
                    "event", flat=True
                )
            )
            assert "appointment.booked" in events and len(events) >= 2, events

            redis.start()  # same port: the app's pool reconnects by itself
            for _ in range(200):  # the pool reconnects at its next use
                if (await client.get("/readyz")).status_code == 200:
                    break
                await asyncio.sleep(0.05)
            assert (await client.get("/readyz")).json()["checks"] == {"database": True, "redis": True}
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def private_pg():
    if reason := postgres_missing():
        pytest.skip(reason)
    cluster = PrivatePostgres().init()
    yield cluster
    cluster.close()


async def test_postgres_down_answers_503_then_recovers(tmp_path, private_pg, wechat_sim):
    url = private_pg.create_database("onetrip_degradation")
    await migrate_to_head(url, quiet=True)
    settings = make_settings(tmp_path, url, wechat_sim.base_url)
    async with serve(settings) as client:
        headers = await Api(client).citizen_headers("bob")
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
        assert (await client.get("/readyz")).status_code == 200

        private_pg.stop()
        try:
            for _ in range(3):  # pooled connections are dead, new ones are refused: both are 503
                resp = await client.get("/api/v1/me", headers=headers)
                assert_error(resp, 503, "DB_UNAVAILABLE")
                assert resp.headers["retry-after"] == "5"
                # answered inside the request middleware: logged and counted as 503, not 500
                assert resp.headers["x-request-id"] and resp.headers["x-content-type-options"] == "nosniff"
                assert "Error" not in resp.text and "asyncpg" not in resp.text
            assert_error(await client.get("/api/v1/departments"), 503, "DB_UNAVAILABLE")
            written = await client.put(
                "/api/v1/me/profile",
                json={"name": "李四", "id_number": "11010519491231002X", "phone": "13912345678"},
                headers=headers,
            )
            assert_error(written, 503, "DB_UNAVAILABLE")
            login = await client.post("/api/v1/auth/wechat", json={"code": "dev-carol"})
            assert_error(login, 503, "DB_UNAVAILABLE")
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
        finally:
            private_pg.start()

        # the same app, not restarted: the first request after the database is back succeeds
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
        written = await client.put(
            "/api/v1/me/profile",
            json={"name": "李四", "id_number": "11010519491231002X", "phone": "13912345678"},
            headers=headers,
        )
        assert written.status_code == 200, written.text
        assert (await Api(client).login_citizen("carol"))["user"]["role"] == "citizen"
        assert (await client.get("/readyz")).status_code == 200
