"""Fixtures: the real app on SQLite and PostgreSQL, the WeChat simulator over loopback HTTP."""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.settings import Settings
from infra.simulators.wechat import WeChatSimulator
from tests import databases
from tests.services import PG_HOST, PG_PORT, REDIS_HOST, REDIS_PORT, redis_url, require

os.environ.setdefault("ONETRIP_ENV", "test")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    return databases.make_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path, sqlite_template) -> str:
    """Each database test runs twice: on SQLite (embedded) and on PostgreSQL (production)."""
    if request.param == "sqlite":
        return databases.fresh_sqlite(sqlite_template, tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def postgres_url() -> str:
    """For tests that only make sense on PostgreSQL (races, locks): an emptied, migrated database."""
    require("PostgreSQL", PG_HOST, PG_PORT)
    return databases.reset_pg()


@pytest.fixture
async def redis_dsn() -> AsyncIterator[str]:
    require("Redis", REDIS_HOST, REDIS_PORT)
    from redis.asyncio import Redis

    url = redis_url()
    client = Redis.from_url(url)
    await client.flushdb()
    await client.aclose()
    yield url


@pytest.fixture
async def wechat_sim() -> AsyncIterator[WeChatSimulator]:
    sim = WeChatSimulator()
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


# A test's client to a real server on loopback drops an idle connection after 1 s, before uvicorn
# closes it (its keep-alive is 5 s): reusing one the server had just closed was an httpx.ReadError
# on a POST after a long browser step (tests/browser/test_workbench_case_errors.py, a clean-clone run).
LOOPBACK_LIMITS = httpx.Limits(keepalive_expiry=1.0)


def make_settings(tmp_path: Path, database_url: str, wechat_base: str, **overrides) -> Settings:
    values = dict(
        env="test",
        var_dir=tmp_path / "var",
        database_url=database_url,
        storage_dir=tmp_path / "uploads",
        wechat_api_base=wechat_base,
        jwt_secret="test-jwt-secret-with-enough-length-0123456789",
        data_key=base64.urlsafe_b64encode(b"k" * 32).decode(),
        public_base_url="http://127.0.0.1:8000",
        log_json=False,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim) -> Settings:
    return make_settings(tmp_path, database_url, wechat_sim.base_url)


@pytest.fixture
async def app(settings):
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30) as manager:
        yield manager.app


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


class Api:
    """Small helpers over the client, so tests read like what a user does."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def login_citizen(self, name: str = "alice") -> dict:
        resp = await self.client.post("/api/v1/auth/wechat", json={"code": f"dev-{name}"})
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def citizen_headers(self, name: str = "alice") -> dict[str, str]:
        tokens = await self.login_citizen(name)
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    async def staff_headers(self, username: str, password: str = "correct-horse-9") -> dict[str, str]:
        resp = await self.client.post("/api/v1/auth/staff", json={"username": username, "password": password})
        assert resp.status_code == 200, resp.text
        return {"Authorization": f"Bearer {resp.json()['access_token']}"}


@pytest.fixture
def api(client) -> Api:
    return Api(client)


async def create_staff(username: str, role: str, department: str | None, password: str = "correct-horse-9"):
    """Create a staff member directly (as ``onetrip staff add`` does)."""
    from citizen_api.users.service import add_staff

    return await add_staff(username, password, role, department)


def assert_error(resp: httpx.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, f"{resp.status_code} {resp.text}"
    body = resp.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]
