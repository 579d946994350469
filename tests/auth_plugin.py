"""Fixtures of the staff-login tests (loaded with ``pytest_plugins``): the real app under uvicorn
with small login limits, on the in-process counters and on Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.auth_fixtures import Server, login_settings, serve


@pytest.fixture(params=["memory", "redis"])
def limiter_backend(request) -> str:
    """Each throttle test runs with the in-process counters and with Redis (shared by processes)."""
    if request.param == "redis":
        return request.getfixturevalue("redis_dsn")
    return ""


@pytest.fixture
async def login_server(tmp_path, database_url, limiter_backend) -> AsyncIterator[Server]:
    settings = login_settings(tmp_path, database_url, redis_url=limiter_backend)
    async with serve(settings) as server:
        yield server
