"""A refused attempt on a full slot costs no query; a freed place is bookable from another process
within a second (PostgreSQL, with and without Redis)."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import asyncpg.connection
import httpx
import pytest

from citizen_api import clock
from citizen_api.appointments.models import Slot
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    citizens,
    make_hall,
    slots_on,
)
from tests.appointments_plugin import LONG_TOKENS, NO_WECHAT, _client
from tests.auth_fixtures import onetrip_serve
from tests.conftest import assert_error, make_settings

TUESDAY = date(2026, 9, 29)
ONE_PLACE = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 1}]


@pytest.fixture
def statements(monkeypatch) -> list[str]:
    """Every statement any asyncpg connection of this process sends (BEGIN and COMMIT included)."""
    sent: list[str] = []
    do_execute, execute = asyncpg.connection.Connection._do_execute, asyncpg.connection.Connection.execute

    async def counted_do_execute(self, query, *args, **kwargs):
        sent.append(query)
        return await do_execute(self, query, *args, **kwargs)

    async def counted_execute(self, query, *args, **kwargs):
        sent.append(query)
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.connection.Connection, "_do_execute", counted_do_execute)
    monkeypatch.setattr(asyncpg.connection.Connection, "execute", counted_execute)
    return sent


async def test_a_refusal_after_the_last_place_sends_no_statement(
    tmp_path, postgres_url, redis_dsn, statements
):
    await _refusals_cost_nothing(tmp_path, postgres_url, redis_dsn, statements)


async def test_without_redis_the_process_refuses_from_its_own_copy(tmp_path, postgres_url, statements):
    await _refusals_cost_nothing(tmp_path, postgres_url, "", statements)


async def _refusals_cost_nothing(tmp_path, postgres_url: str, redis_url: str, statements: list[str]) -> None:
    settings = make_settings(
        tmp_path, postgres_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS, redis_url=redis_url
    )
    async with _client(settings) as client:
        clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
        hall = await make_hall(weekday_periods=ONE_PLACE)
        (slot,) = await slots_on(client, hall.item.code, TUESDAY)
        _, alice = await citizen(settings, "alice")
        bob, carol, dave = await citizens(settings, 3)
        assert (await book(client, alice, slot["id"], hall.item.code)).status_code == 201
        assert_error(await book(client, bob, slot["id"], hall.item.code), 409, "SLOT_FULL")

        statements.clear()
        for late in (carol, dave):
            answer = assert_error(await book(client, late, slot["id"], hall.item.code), 409, "SLOT_FULL")
            assert answer["details"] == {"waitlist": True}
        assert statements == []  # no transaction, no query: answered from the full-slot cache

        # the cache only refuses: a freed place goes through the conditional UPDATE again
        mine = (await client.get("/api/v1/appointments", headers=alice)).json()["items"][0]
        assert (
            await client.post(f"/api/v1/appointments/{mine['id']}/cancel", headers=alice)
        ).status_code == 200
        assert (await book(client, carol, slot["id"], hall.item.code)).status_code == 201
        assert (await Slot.get(id=slot["id"])).booked == 1


async def test_a_cancelled_place_is_bookable_from_another_process_within_a_second(
    tmp_path, postgres_url, redis_dsn
):
    # real clock: the other process is ``onetrip serve`` and reads the machine's time
    settings = make_settings(
        tmp_path, postgres_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS, redis_url=redis_dsn
    )
    env = {"ONETRIP_JWT_SECRET": settings.jwt_secret, "ONETRIP_DATA_KEY": settings.data_key}
    env.update(ONETRIP_REDIS_URL=redis_dsn, ONETRIP_BOOKING_ATTEMPTS_PER_MINUTE="100000")
    async with _client(settings) as here:
        hall = await make_hall(weekday_periods=ONE_PLACE, holiday_periods=ONE_PLACE)
        days = (await here.get("/api/v1/appointments/days", params={"item_code": hall.item.code})).json()
        day = date.fromisoformat(next(d["date"] for d in days if d["available"]))
        (slot,) = await slots_on(here, hall.item.code, day)
        _, alice = await citizen(settings, "alice")
        _, bob = await citizen(settings, "bob")
        assert (await book(here, alice, slot["id"], hall.item.code)).status_code == 201

        with onetrip_serve(postgres_url, tmp_path / "other", **env) as base:
            async with httpx.AsyncClient(base_url=base, timeout=30) as there:
                assert_error(await book(there, bob, slot["id"], hall.item.code), 409, "SLOT_FULL")
                assert_error(await book(there, bob, slot["id"], hall.item.code), 409, "SLOT_FULL")
                mine = (await here.get("/api/v1/appointments", headers=alice)).json()["items"][0]
                resp = await here.post(f"/api/v1/appointments/{mine['id']}/cancel", headers=alice)
                assert resp.status_code == 200, resp.text
                cancelled = time.monotonic()
                while True:  # the contract's bound, not a speed test: the other process must not
                    # keep refusing from its copy of the mark for more than a second
                    answer = await book(there, bob, slot["id"], hall.item.code)
                    if answer.status_code == 201:
                        break
                    assert_error(answer, 409, "SLOT_FULL")
                    assert time.monotonic() - cancelled < 1.0, "the freed place was not seen within 1 s"
                    await asyncio.sleep(0.02)
        assert (await Slot.get(id=slot["id"])).booked == 1
