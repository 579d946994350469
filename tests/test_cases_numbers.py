"""Case numbers: readable (department + date + sequence) and unique under concurrent submissions."""

from __future__ import annotations

import asyncio
import re

import httpx
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.cases.models import Application
from tests import cases_fixtures as f
from tests.conftest import Api, make_settings


async def test_numbers_are_readable_and_restart_each_day(database_url, api, client):
    ga = await f.published_item()
    rs = await f.published_item("RS-SB-001", dept="RS", name="社保转移")
    alice = await f.citizen(api, client)
    clock.set_now(f.at(2026, 11, 2))
    first = await f.submit(client, alice, ga)
    second = await f.submit(client, alice, ga)
    other = await f.submit(client, alice, rs)
    assert (first["number"], second["number"]) == ("GA20261102000001", "GA20261102000002")
    assert other["number"] == "RS20261102000001"
    clock.set_now(f.at(2026, 11, 3))
    assert (await f.submit(client, alice, ga))["number"] == "GA20261103000001"


async def test_fifty_concurrent_submissions_never_share_a_number(postgres_url, tmp_path, wechat_sim):
    settings = make_settings(tmp_path, postgres_url, wechat_sim.base_url)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            api = Api(client)
            ga = await f.published_item()
            rs = await f.published_item("RS-SB-001", dept="RS", name="社保转移")
            people = [
                await f.citizen(api, client, f"c{i}", phone=f"1381234{i:04d}", id_index=i) for i in range(5)
            ]
            bodies = []
            for i in range(50):
                person = people[i % len(people)]
                item = ga if i % 5 else rs
                bodies.append((person, item, await f.full_materials(person, item)))

            async def one(person, item, materials):
                return await client.post(
                    "/api/v1/applications",
                    json={"item_code": item.code, "materials": materials},
                    headers=person.headers,
                )

            responses = await asyncio.gather(*(one(*body) for body in bodies))
            assert [r.status_code for r in responses] == [201] * 50, [
                r.text for r in responses if r.status_code != 201
            ]
            numbers = [r.json()["number"] for r in responses]
            assert len(set(numbers)) == 50
            assert all(re.fullmatch(r"(GA|RS)\d{8}\d{6}", n) for n in numbers)
            # no gaps either: each department's sequence is 1..n
            for prefix, count in (("GA", 40), ("RS", 10)):
                sequences = sorted(int(n[-6:]) for n in numbers if n.startswith(prefix))
                assert sequences == list(range(1, count + 1))
            assert await Application.all().count() == 50
