"""Guide views count once per viewer (citizen, or client address) per item per day, so that a loop of
anonymous GETs cannot lift an item to the top of the popularity ranking."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.catalog.models import ServiceItem
from tests.conftest import Api, make_settings
from tests.delivery_fixtures import make_item

ITEMS = "/api/v1/items"


@pytest.fixture(params=["memory", "redis"])
def settings(request, tmp_path, database_url, wechat_sim):
    """Each test twice more: views remembered in the process, and in Redis (SET NX EX)."""
    extra = {"redis_url": request.getfixturevalue("redis_dsn")} if request.param == "redis" else {}
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **extra)


def client_at(app, host: str) -> httpx.AsyncClient:
    """A client whose requests come from ``host`` (the address the server sees)."""
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def views_of(code: str) -> int:
    return (await ServiceItem.get(code=code)).views


async def test_a_view_counts_once_per_client_per_day(app):
    clock.set_now(datetime(2026, 6, 1, 9, 0))
    item, _ = await make_item(code="GA-VIEWS-1")
    async with client_at(app, "198.51.100.7") as first, client_at(app, "203.0.113.9") as second:
        seen = [(await first.get(f"{ITEMS}/{item.code}")).json()["views"] for _ in range(400)]
        assert seen == [1] * 400
        assert await views_of(item.code) == 1

        assert (await second.get(f"{ITEMS}/{item.code}")).json()["views"] == 2  # another client
        assert (await second.get(f"{ITEMS}/{item.code}")).json()["views"] == 2

        clock.set_now(datetime(2026, 6, 2, 8, 30))  # the next day counts again
        assert (await first.get(f"{ITEMS}/{item.code}")).json()["views"] == 3
        assert (await first.get(f"{ITEMS}/{item.code}")).json()["views"] == 3
    assert await views_of(item.code) == 3


async def test_a_citizen_counts_once_wherever_they_read_from(app):
    clock.set_now(datetime(2026, 6, 1, 9, 0))
    item, _ = await make_item(code="GA-VIEWS-2")
    other, _ = await make_item(code="GA-VIEWS-3")
    async with client_at(app, "198.51.100.7") as home, client_at(app, "203.0.113.9") as mobile:
        alice = await Api(home).citizen_headers("alice")
        for client in (home, mobile) * 50:
            await client.get(f"{ITEMS}/{item.code}", headers=alice)
        assert await views_of(item.code) == 1
        await home.get(f"{ITEMS}/{other.code}", headers=alice)  # per item
        assert await views_of(other.code) == 1
        bob = await Api(home).citizen_headers("bob")  # same address, another citizen
        await home.get(f"{ITEMS}/{item.code}", headers=bob)
        await home.get(f"{ITEMS}/{item.code}", headers=bob)
        assert await views_of(item.code) == 2


async def test_addresses_of_one_ipv6_network_count_once(app):
    item, _ = await make_item(code="GA-VIEWS-4")
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::ffff", "2001:db8:1:2:abcd::7"):
        async with client_at(app, host) as client:
            assert (await client.get(f"{ITEMS}/{item.code}")).status_code == 200
    assert await views_of(item.code) == 1
    async with client_at(app, "2001:db8:1:3::1") as client:  # another /64
        await client.get(f"{ITEMS}/{item.code}")
    assert await views_of(item.code) == 2


async def test_without_redis_a_full_memory_stops_counting_rather_than_forgetting(
    tmp_path, database_url, wechat_sim
):
    # two (item, viewer) pairs fit: a flood of new addresses cannot push an old one out to count it again
    settings = make_settings(tmp_path, database_url, wechat_sim.base_url, catalog_view_memory_keys=2)
    clock.set_now(datetime(2026, 6, 1, 9, 0))
    async with LifespanManager(create_app(settings), startup_timeout=60) as manager:
        item, _ = await make_item(code="GA-VIEWS-5")
        url = f"{ITEMS}/{item.code}"
        for host in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.1"):
            async with client_at(manager.app, host) as client:
                assert (await client.get(url)).status_code == 200
        assert await views_of(item.code) == 2
        clock.set_now(datetime(2026, 6, 2, 9, 0))  # a new day, an empty memory
        async with client_at(manager.app, "198.51.100.3") as client:
            await client.get(url)
        assert await views_of(item.code) == 3
