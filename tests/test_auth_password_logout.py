"""``POST /auth/password`` (staff change their own) and ``POST /auth/logout`` (revoke a login)."""

from __future__ import annotations

import pytest

from tests.conftest import assert_error, create_staff

URL = "/api/v1/auth/password"
OLD = "correct-horse-9"
NEW = "Brand-New-2027"


async def _login(client, username: str, password: str):
    return await client.post("/api/v1/auth/staff", json={"username": username, "password": password})


async def _staff_session(client, username: str = "wang") -> dict:
    await create_staff(username, "window", "GA", password=OLD)
    resp = await _login(client, username, OLD)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_change_password_ends_other_sessions_and_keeps_this_one(client):
    first = await _staff_session(client)
    other_device = (await _login(client, "wang", OLD)).json()

    resp = await client.post(URL, json={"old_password": OLD, "new_password": NEW}, headers=_auth(first))
    assert resp.status_code == 200, resp.text
    fresh = resp.json()
    assert fresh["user"] == first["user"] and fresh["user"]["role"] == "window"
    assert (await client.get("/api/v1/me", headers=_auth(fresh))).status_code == 200

    assert_error(await _login(client, "wang", OLD), 401, "INVALID_CREDENTIALS")
    assert (await _login(client, "wang", NEW)).status_code == 200
    for stale in (first, other_device):
        again = await client.post("/api/v1/auth/refresh", json={"refresh_token": stale["refresh_token"]})
        assert_error(again, 401, "REFRESH_TOKEN_INVALID")
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    ).is_success

    from citizen_api.audit.models import AuditLog

    assert await AuditLog.filter(action="password.change", object_id=str(first["user"]["id"])).count() == 1


async def test_wrong_old_password_is_403_and_counts_towards_the_lock(client):
    tokens = await _staff_session(client)
    for left in (4, 3, 2, 1, 0):
        body = {"old_password": "not-my-password", "new_password": NEW}
        err = assert_error(
            await client.post(URL, json=body, headers=_auth(tokens)), 403, "PASSWORD_INCORRECT"
        )
        assert err["details"]["attempts_left"] == left
        assert "原密码不正确" in err["message"]
    # five failures (the default) lock the account, for the right old password and for logging in
    right = await client.post(URL, json={"old_password": OLD, "new_password": NEW}, headers=_auth(tokens))
    assert_error(right, 429, "RATE_LIMITED")
    assert right.headers["Retry-After"]
    assert_error(await _login(client, "wang", OLD), 429, "RATE_LIMITED")


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab1-", "密码至少 8 位"),
        ("A" * 129 + "b1", "密码不能超过 128 位"),
        ("onlylowercase", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("12345678901", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("Has Space-123", "密码不能包含空格或控制字符"),
        ("Wang-Secret-1", "密码不能包含用户名"),
        (OLD, "新密码不能与原密码相同"),
    ],
)
async def test_new_password_rules_answer_in_chinese(client, new_password, message):
    tokens = await _staff_session(client)
    body = {"old_password": OLD, "new_password": new_password}
    err = assert_error(await client.post(URL, json=body, headers=_auth(tokens)), 422, "VALIDATION_ERROR")
    assert err["details"]["fields"] == {"body.new_password": message}
    assert (await _login(client, "wang", OLD)).status_code == 200  # nothing changed


async def test_only_staff_change_a_password(api, client):
    citizen = await api.citizen_headers()
    body = {"old_password": OLD, "new_password": NEW}
    assert_error(await client.post(URL, json=body, headers=citizen), 403, "FORBIDDEN")
    assert_error(await client.post(URL, json=body), 401, "UNAUTHENTICATED")


async def test_logout_revokes_the_whole_family_of_that_login(api, client):
    tokens = await _staff_session(client)
    rotated = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).json()
    elsewhere = (await _login(client, "wang", OLD)).json()

    out = await client.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]})
    assert out.status_code == 204 and out.content == b""
    for token in (rotated["refresh_token"], tokens["refresh_token"]):
        resp = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert resp.status_code == 401, resp.text
    # the other login (another family) is untouched
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]})
    ).is_success

    # logging out twice, or with a token we never issued, is fine; a citizen logs out the same way
    again = await client.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 204
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": "never-issued"})
    ).status_code == 204
    citizen = await api.login_citizen("alice")
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": citizen["refresh_token"]})
    ).status_code == 204
    resp = await client.post("/api/v1/auth/refresh", json={"refresh_token": citizen["refresh_token"]})
    assert_error(resp, 401, "REFRESH_TOKEN_INVALID")
    assert_error(await client.post("/api/v1/auth/logout", json={}), 422, "VALIDATION_ERROR")
