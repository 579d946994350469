"""Fixtures of the appointment tests (loaded with ``pytest_plugins``): the app with long-lived tokens.

Tokens live a year because these tests move the clock across days; WeChat is never called.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api.app import create_app
from citizen_api.settings import Settings
from tests.conftest import make_settings

NO_WECHAT = "http://127.0.0.1:9"  # never called: users are created directly
LONG_TOKENS = 365 * 24 * 3600


@pytest.fixture
def appt_settings(tmp_path, database_url) -> Settings:
    return make_settings(tmp_path, database_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS)


@pytest.fixture
async def appt_client(appt_settings) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(appt_settings) as c:
        yield c


@pytest.fixture
def pg_settings(tmp_path, postgres_url) -> Settings:
    return make_settings(tmp_path, postgres_url, NO_WECHAT, access_token_ttl_seconds=LONG_TOKENS)


@pytest.fixture
async def pg_client(pg_settings) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(pg_settings) as c:
        yield c


@asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
            yield client
