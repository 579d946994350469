"""A disabled clerk's open workbench stops working at once, not when its access token expires.

Access tokens are checked by signature alone; every API process keeps the disabled accounts in memory
(``citizen_api.security.disabled``): the process that disables refuses at once, every other process
on its next reload (``ONETRIP_DISABLED_POLL_SECONDS``). Two processes: the test's app and a real
``onetrip serve`` on the same database (SQLite file and PostgreSQL).
"""

from __future__ import annotations

import asyncio

import httpx

from citizen_api.catalog.models import Department
from tests.auth_fixtures import onetrip_serve
from tests.conftest import assert_error, create_staff

INBOX = "/api/v1/staff/applications"


async def _login(client, username: str, password: str) -> dict[str, str]:
    resp = await client.post("/api/v1/auth/staff", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def test_a_disabled_clerks_tokens_are_refused_here_at_once_and_elsewhere_soon(
    client, settings, database_url, tmp_path
):
    await Department.get_or_create(code="GA", defaults={"name": "公安局"})
    await create_staff("boss", "admin", None)
    clerk_account = await create_staff("li", "window", "GA")
    admin = await _login(client, "boss", "correct-horse-9")
    clerk = await _login(client, "li", "correct-horse-9")
    env = {
        "ONETRIP_JWT_SECRET": settings.jwt_secret,
        "ONETRIP_DATA_KEY": settings.data_key,
        "ONETRIP_DISABLED_POLL_SECONDS": "0.2",
    }
    with onetrip_serve(database_url, tmp_path / "other", **env) as other_url:
        async with httpx.AsyncClient(base_url=other_url, timeout=30) as other:
            # the same token works in both processes
            assert (await client.get(INBOX, headers=clerk)).status_code == 200
            assert (await other.get(INBOX, headers=clerk)).status_code == 200

            resp = await client.post(f"/api/v1/staff/users/{clerk_account.id}/disable", headers=admin)
            assert resp.status_code == 200, resp.text
            refused = assert_error(await client.get(INBOX, headers=clerk), 401, "UNAUTHENTICATED")
            assert refused["message"] == "账号已停用，请重新登录"

            # the other process refuses it once it has reloaded the list (every 0.2 s here)
            for _attempt in range(150):
                elsewhere = await other.get(INBOX, headers=clerk)
                if elsewhere.status_code != 200:
                    break
                await asyncio.sleep(0.1)
            assert_error(elsewhere, 401, "UNAUTHENTICATED")
            # the admin's own session is untouched in both
            assert (await client.get(INBOX, headers=admin)).status_code == 200
            assert (await other.get(INBOX, headers=admin)).status_code == 200
