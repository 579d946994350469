"""Staff login over the real HTTP server: lock per username, throttle per client, nothing hashed
for a refused attempt, unknown usernames answered like real ones, admin unlock, Redis sharing.

Limits here (tests/auth_fixtures.py): 3 failures lock a username for 10 minutes; 6 failed
attempts per client address per 5 minutes. Each test runs on SQLite and PostgreSQL, with the
in-process counters and with Redis.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import httpx

from citizen_api import clock
from tests.auth_fixtures import PASSWORD, login_settings, make_clerk, onetrip_serve, serve
from tests.conftest import assert_error

pytest_plugins = ["tests.auth_plugin"]  # login_server, limiter_backend


def _bearer(resp: httpx.Response) -> dict[str, str]:
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def _lock(srv, client, username: str) -> None:
    for left in (2, 1, 0):
        err = assert_error(await srv.login(client, username, "wrong-guess-1"), 401, "INVALID_CREDENTIALS")
        assert err["details"]["attempts_left"] == left


async def test_failures_lock_the_username_and_the_right_password_waits(login_server):
    srv = login_server
    await make_clerk("wang")
    async with srv.client() as c:
        await _lock(srv, c, "wang")
        hashed = await srv.verifications(c)

        locked = await srv.login(c, "wang", PASSWORD)
        err = assert_error(locked, 429, "RATE_LIMITED")
        assert 595 <= int(locked.headers["Retry-After"]) <= 600
        until = datetime.fromisoformat(err["details"]["locked_until"])
        assert until.utcoffset() == timedelta(hours=8)
        assert timedelta(minutes=9) < until - clock.now() <= timedelta(minutes=10)
        assert "锁定" in err["message"] and f"{until:%H:%M}" in err["message"]

        # wrong or right, nothing is checked while locked: no argon2 at all
        for password in ("wrong-guess-2", PASSWORD, PASSWORD):
            assert_error(await srv.login(c, "wang", password), 429, "RATE_LIMITED")
        assert await srv.verifications(c) == hashed

        # another clerk is not concerned
        await make_clerk("li")
        assert (await srv.login(c, "li", PASSWORD)).status_code == 200

        clock.advance(timedelta(minutes=10, seconds=1))
        assert (await srv.login(c, "wang", PASSWORD)).status_code == 200
        # the lock is over and its failures forgotten: three more tries before the next one
        assert_error(await srv.login(c, "wang", "wrong-guess-3"), 401, "INVALID_CREDENTIALS")


async def test_unknown_usernames_are_answered_like_real_ones_without_hashing(login_server):
    srv = login_server
    await make_clerk("wang")
    async with srv.client() as c:
        assert (await srv.login(c, "wang", PASSWORD)).status_code == 200
        hashed = await srv.verifications(c)
        real, ghost = [], []
        for _ in range(4):
            real.append(await srv.login(c, "wang", "wrong-guess-1"))
            ghost.append(await srv.login(c, "no-such-clerk", "wrong-guess-1"))

        def seen(resp: httpx.Response):
            error = resp.json()["error"]
            details = {k: v for k, v in error["details"].items() if k not in ("locked_until", "retry_after")}
            return resp.status_code, error["code"], details, resp.headers.get("Retry-After") is not None

        # 401, 401, 401 (the last one locking), then 429: the same for a username that does not exist
        assert [seen(r) for r in ghost] == [seen(r) for r in real]
        assert [r.status_code for r in ghost] == [401, 401, 401, 429]
        # only the real account's three wrong passwords were hashed
        assert await srv.verifications(c) == hashed + 3


async def test_one_client_is_throttled_across_usernames_before_hashing(login_server):
    srv = login_server
    await make_clerk("wang")
    async with srv.client("127.0.0.2") as attacker, srv.client("127.0.0.3") as hall:
        for i in range(6):  # six different usernames: no per-username lock is reached
            assert_error(await srv.login(attacker, f"guess-{i}", "wrong-guess-1"), 401, "INVALID_CREDENTIALS")
        hashed = await srv.verifications(hall)

        blocked = await srv.login(attacker, "wang", PASSWORD)
        err = assert_error(blocked, 429, "RATE_LIMITED")
        assert err["details"]["reason"] == "client_throttled"
        assert 1 <= int(blocked.headers["Retry-After"]) <= 300
        assert await srv.verifications(hall) == hashed  # refused before hashing

        # the same clerk from the hall's address is not concerned
        assert (await srv.login(hall, "wang", PASSWORD)).status_code == 200

        clock.advance(timedelta(seconds=301))
        assert (await srv.login(attacker, "wang", PASSWORD)).status_code == 200


async def test_clerks_sharing_one_address_spend_the_budget_only_with_mistakes(login_server):
    srv = login_server
    for name in ("wang", "li", "zhao"):
        await make_clerk(name)
    async with srv.client() as hall:
        for round_ in range(3):
            for name in ("wang", "li", "zhao"):
                assert (await srv.login(hall, name, PASSWORD)).status_code == 200, (round_, name)
            assert_error(await srv.login(hall, "li", "typo-password"), 401, "INVALID_CREDENTIALS")
        # nine logins and three mistakes from one address: under the six-failure budget
        assert (await srv.login(hall, "zhao", PASSWORD)).status_code == 200


async def test_a_burst_of_guesses_gets_only_the_allowed_checks(login_server):
    srv = login_server
    await make_clerk("wang")
    async with srv.client() as c:
        hashed = await srv.verifications(c)
        answers = await asyncio.gather(*(srv.login(c, "wang", f"guess-{i}") for i in range(20)))
        assert Counter(r.status_code for r in answers) == {401: 3, 429: 17}
        assert all(r.headers.get("Retry-After") for r in answers if r.status_code == 429)
        assert await srv.verifications(c) == hashed + 3
        assert_error(await srv.login(c, "wang", PASSWORD), 429, "RATE_LIMITED")


async def test_admin_unlock_and_password_reset_lift_the_lock(login_server):
    from citizen_api.audit.models import AuditLog

    srv = login_server
    wang = await make_clerk("wang")
    await make_clerk("boss", "admin", None)
    async with srv.client() as c, srv.client("127.0.0.2") as office:
        admin = _bearer(await srv.login(office, "boss", PASSWORD))
        session = (await srv.login(c, "wang", PASSWORD)).json()
        await _lock(srv, c, "wang")
        assert_error(await srv.login(c, "wang", PASSWORD), 429, "RATE_LIMITED")

        clerk = {"Authorization": f"Bearer {session['access_token']}"}
        assert_error(await c.post(f"/api/v1/staff/users/{wang.id}/unlock", headers=clerk), 403, "FORBIDDEN")
        assert_error(await office.post("/api/v1/staff/users/999999/unlock", headers=admin), 404, "NOT_FOUND")
        unlocked = await office.post(f"/api/v1/staff/users/{wang.id}/unlock", headers=admin)
        assert unlocked.status_code == 200, unlocked.text
        assert unlocked.json()["username"] == "wang" and unlocked.json()["role"] == "window"
        assert (await srv.login(c, "wang", PASSWORD)).status_code == 200

        await _lock(srv, c, "wang")
        url = f"/api/v1/staff/users/{wang.id}/reset-password"
        weak = await office.post(url, json={"password": "alllowercase"}, headers=admin)
        err = assert_error(weak, 422, "VALIDATION_ERROR")
        assert (
            err["details"]["fields"]["body.password"]
            == "密码须包含大写字母、小写字母、数字、符号中的至少三类"
        )
        reset = await office.post(url, json={"password": "New-Start-2027"}, headers=admin)
        assert reset.status_code == 200, reset.text
    # (the first address has spent its six failures: the clerk tries again from another desk)
    async with srv.client("127.0.0.3") as desk:
        assert_error(await srv.login(desk, "wang", PASSWORD), 401, "INVALID_CREDENTIALS")
        assert (await srv.login(desk, "wang", "New-Start-2027")).status_code == 200
        # the sessions from before the reset are over
        stale = await desk.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert_error(stale, 401, "REFRESH_TOKEN_INVALID")

    actions = await AuditLog.filter(object_type="user", object_id=str(wang.id)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["login.unlock", "password.reset"]


async def test_every_api_process_shares_the_lock_through_redis(tmp_path, database_url, redis_dsn):
    settings = login_settings(tmp_path, database_url, redis_url=redis_dsn)
    env = {
        "ONETRIP_REDIS_URL": redis_dsn,
        "ONETRIP_JWT_SECRET": settings.jwt_secret,
        "ONETRIP_DATA_KEY": settings.data_key,
        "ONETRIP_LOGIN_LOCK_ATTEMPTS": "3",
        "ONETRIP_LOGIN_LOCK_MINUTES": "10",
    }
    async with serve(settings) as first:
        await make_clerk("wang")
        with onetrip_serve(database_url, tmp_path / "second", **env) as second_url:
            async with first.client() as a, httpx.AsyncClient(base_url=second_url, timeout=60) as b:
                # failures spread over both processes add up
                for client in (a, b):
                    login = {"username": "wang", "password": "wrong-guess-1"}
                    assert_error(
                        await client.post("/api/v1/auth/staff", json=login), 401, "INVALID_CREDENTIALS"
                    )
                assert_error(await first.login(a, "wang", "wrong-guess-1"), 401, "INVALID_CREDENTIALS")
                right = {"username": "wang", "password": PASSWORD}
                assert_error(await b.post("/api/v1/auth/staff", json=right), 429, "RATE_LIMITED")
                assert_error(await first.login(a, "wang", PASSWORD), 429, "RATE_LIMITED")


async def test_logins_go_on_while_redis_is_away(tmp_path, database_url):
    """The throttle fails open: with Redis unreachable staff still log in, and nothing is a 500."""
    settings = login_settings(tmp_path, database_url, redis_url="redis://127.0.0.1:1/0")
    async with serve(settings) as srv:
        await make_clerk("wang")
        async with srv.client() as c:
            for _ in range(4):
                assert_error(await srv.login(c, "wang", "wrong-guess-1"), 401, "INVALID_CREDENTIALS")
            assert (await srv.login(c, "wang", PASSWORD)).status_code == 200
