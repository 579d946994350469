"""Login through the WeChat simulator over HTTP, tokens, refresh rotation, staff login."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt

from citizen_api import clock
from infra.simulators.wechat import openid_for
from tests.conftest import assert_error, create_staff


async def test_wechat_login_creates_citizen_and_is_stable(api, client, wechat_sim):
    first = await api.login_citizen("alice")
    assert first["token_type"] == "bearer"
    assert first["user"]["role"] == "citizen"
    assert first["expires_in"] == 15 * 60
    again = await api.login_citizen("alice")
    assert again["user"]["id"] == first["user"]["id"]
    other = await api.login_citizen("bob")
    assert other["user"]["id"] != first["user"]["id"]
    # the simulator really was asked, over HTTP
    assert wechat_sim.state.calls.count("/sns/jscode2session") == 3

    from citizen_api.users.models import User

    user = await User.get(id=first["user"]["id"])
    assert user.openid == openid_for("alice")
    assert user.unionid is not None


async def test_bad_code_is_401(client):
    resp = await client.post("/api/v1/auth/wechat", json={"code": "not-a-real-code"})
    assert_error(resp, 401, "WECHAT_CODE_INVALID")


async def test_wechat_down_is_503_not_500(client, wechat_sim):
    await wechat_sim.stop()
    resp = await client.post("/api/v1/auth/wechat", json={"code": "dev-alice"})
    assert_error(resp, 503, "WECHAT_UNAVAILABLE")


async def test_wechat_answering_garbage_is_503(client, wechat_sim):
    wechat_sim.fail("/sns/jscode2session", status=502)
    resp = await client.post("/api/v1/auth/wechat", json={"code": "dev-alice"})
    assert_error(resp, 503, "WECHAT_UNAVAILABLE")


async def test_me_requires_a_valid_token(api, client, settings):
    tokens = await api.login_citizen()
    good = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert good.status_code == 200
    assert good.json()["role"] == "citizen"

    assert_error(await client.get("/api/v1/me"), 401, "UNAUTHENTICATED")

    header, payload, signature = tokens["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tampered = f"{header}.{forged_payload}.{signature}"
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tampered}"}),
        401,
        "UNAUTHENTICATED",
    )

    unsigned = jwt.encode(claims, key=None, algorithm="none")
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {unsigned}"}),
        401,
        "UNAUTHENTICATED",
    )

    wrong_key = jwt.encode(claims, "another-secret-another-secret-another", algorithm="HS256")
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {wrong_key}"}),
        401,
        "UNAUTHENTICATED",
    )

    clock.advance(timedelta(minutes=16))
    assert_error(
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}),
        401,
        "TOKEN_EXPIRED",
    )


async def test_refresh_rotates_and_reuse_revokes_the_family(api, client):
    first = await api.login_citizen()
    r1 = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r1.status_code == 200, r1.text
    second = r1.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["user"] == first["user"]

    # the old one is spent: using it again is a reuse, and it revokes the whole family
    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_error(reuse, 401, "REFRESH_TOKEN_REUSED")
    # ... so the newest token of that family stops working too
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert_error(after, 401, "REFRESH_TOKEN_INVALID")

    # another login is another family and still works
    fresh = await api.login_citizen()
    ok = await client.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert ok.status_code == 200


async def test_refresh_unknown_and_expired(api, client):
    assert_error(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"}),
        401,
        "REFRESH_TOKEN_INVALID",
    )
    tokens = await api.login_citizen()
    clock.advance(timedelta(days=31))
    assert_error(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
        401,
        "REFRESH_TOKEN_INVALID",
    )


async def test_staff_login_roles_and_wrong_password(api, client):
    await create_staff("wang", "window", "GA")
    resp = await client.post("/api/v1/auth/staff", json={"username": "wang", "password": "correct-horse-9"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["user"]["role"] == "window"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["department"] == "GA"

    wrong = await client.post("/api/v1/auth/staff", json={"username": "wang", "password": "wrong-password"})
    assert_error(wrong, 401, "INVALID_CREDENTIALS")
    nobody = await client.post("/api/v1/auth/staff", json={"username": "nobody", "password": "x" * 10})
    assert_error(nobody, 401, "INVALID_CREDENTIALS")

    from citizen_api.users.models import User

    stored = await User.get(username="wang")
    assert stored.password_hash.startswith("$argon2id$")


async def test_staff_cannot_use_citizen_only_routes(api, client):
    await create_staff("li", "window", "GA")
    staff_headers = await api.staff_headers("li")
    resp = await client.put(
        "/api/v1/me/profile",
        headers=staff_headers,
        json={"name": "李四", "id_number": "11010519491231002X", "phone": "13800138000"},
    )
    assert_error(resp, 403, "FORBIDDEN")
