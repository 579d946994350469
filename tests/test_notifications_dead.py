"""Failures retry with backoff, become dead after N tries, show up for admins and can be re-queued."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_error, create_staff
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE

SUBSCRIBE = "/cgi-bin/message/subscribe/send"


@pytest.fixture
def notify_overrides():
    return {"notify_max_attempts": 3}


async def _admin(napp) -> dict[str, str]:
    await create_staff("root", "admin", None)
    resp = await napp.client.post(
        "/api/v1/auth/staff", json={"username": "root", "password": "correct-horse-9"}
    )
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def test_dead_after_n_failures_then_requeued_by_an_admin(napp):
    user_id, headers = await napp.citizen("alice")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, status=502, times=3)

    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "A1"}))

    assert (row.status, row.attempts) == ("dead", 3)
    assert "HTTP 502" in row.last_error
    assert napp.calls(SUBSCRIBE) == 3
    assert napp.messages() == []
    # the grant it held is given back: WeChat never used it
    templates = (await napp.client.get("/api/v1/me/templates", headers=headers)).json()
    assert templates["grants"][CASE_TEMPLATE] == 1

    admin = await _admin(napp)
    listed = (await napp.client.get("/api/v1/admin/notifications?status=dead", headers=admin)).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == row.id and "HTTP 502" in listed["items"][0]["last_error"]

    resp = await napp.client.post("/api/v1/admin/notifications/requeue", json={}, headers=admin)
    assert resp.json() == {"requeued": 1}
    again = await napp.settled(row.id)
    assert (again.status, again.channel) == ("sent", "subscribe")
    assert len(napp.messages()) == 1


async def test_permanent_errors_die_at_once(napp):
    user_id, headers = await napp.citizen("bob")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, 40037, times=5)  # invalid template id: retrying cannot help
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "B1"}))
    assert (row.status, row.attempts) == ("dead", 1)
    assert "40037" in row.last_error
    assert napp.calls(SUBSCRIBE) == 1


async def test_outbox_admin_endpoints_are_for_admins(napp):
    _, citizen = await napp.citizen("carol")
    assert_error(await napp.client.get("/api/v1/admin/notifications", headers=citizen), 403, "FORBIDDEN")
    admin = await _admin(napp)
    assert_error(
        await napp.client.get("/api/v1/admin/notifications?status=lost", headers=admin),
        422,
        "VALIDATION_ERROR",
    )
    bad_ids = {"ids": [0, 99999999999999999999]}
    resp = await napp.client.post("/api/v1/admin/notifications/requeue", json=bad_ids, headers=admin)
    assert_error(resp, 422, "VALIDATION_ERROR")


async def test_requeue_dead_command(napp, database_url, tmp_path):
    user_id, headers = await napp.citizen("dave")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail(SUBSCRIBE, status=500, times=3)
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "D1"}))
    assert row.status == "dead"

    env = dict(os.environ, ONETRIP_DATABASE_URL=database_url, ONETRIP_VAR_DIR=str(tmp_path / "var"))
    onetrip = str(Path(sys.executable).parent / "onetrip")
    proc = await asyncio.create_subprocess_exec(
        onetrip,
        "outbox",
        "requeue-dead",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert "requeued 1" in out.decode()

    napp.state.dispatcher.kick()
    again = await napp.settled(row.id)
    assert again.status == "sent"
    assert len(napp.messages()) == 1
