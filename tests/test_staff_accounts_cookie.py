"""The workbench's refresh cookie: ``POST /auth/staff`` and ``/auth/refresh`` set ``onetrip_refresh``
(HttpOnly, SameSite=Strict, Path=/api/v1/auth, Secure behind https), ``/auth/refresh`` works with
no body when the cookie is there (the JSON body still works for the mini-program), and
``/auth/logout`` revokes the cookie's login and clears it.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import httpx
from asgi_lifespan import LifespanManager

from citizen_api.app import create_app
from tests.conftest import assert_error, create_staff, make_settings

PASSWORD = "correct-horse-9"
COOKIE = "onetrip_refresh"


def _set_cookie(resp: httpx.Response) -> SimpleCookie:
    headers = resp.headers.get_list("set-cookie")
    assert len(headers) == 1, headers
    jar = SimpleCookie()
    jar.load(headers[0])
    return jar


async def _login(client) -> httpx.Response:
    await create_staff("wang", "window", "GA", password=PASSWORD)
    resp = await client.post("/api/v1/auth/staff", json={"username": "wang", "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return resp


async def test_login_sets_the_refresh_cookie_and_a_bodyless_refresh_uses_it(client):
    login = await _login(client)
    cookie = _set_cookie(login)[COOKIE]
    assert cookie.value == login.json()["refresh_token"]
    assert cookie["httponly"] is True and cookie["samesite"] == "strict" and cookie["path"] == "/api/v1/auth"
    assert not cookie["secure"]  # served over http here
    assert int(cookie["max-age"]) > 0

    # the browser sends the cookie (httpx's jar plays it), no body at all
    refreshed = await client.post("/api/v1/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    rotated = _set_cookie(refreshed)[COOKIE]
    assert rotated.value == refreshed.json()["refresh_token"] != cookie.value
    assert client.cookies.get(COOKIE) == rotated.value
    # the spent token (the old cookie) is refused: reuse revokes the family
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": cookie.value})
    assert_error(reused, 401, "REFRESH_TOKEN_REUSED")


async def test_the_body_still_works_and_no_token_at_all_is_401(client):
    login = await _login(client)
    client.cookies.clear()
    by_body = await client.post("/api/v1/auth/refresh", json={"refresh_token": login.json()["refresh_token"]})
    assert by_body.status_code == 200, by_body.text
    client.cookies.clear()
    assert_error(await client.post("/api/v1/auth/refresh"), 401, "REFRESH_TOKEN_INVALID")
    assert_error(await client.post("/api/v1/auth/refresh", json={}), 401, "REFRESH_TOKEN_INVALID")
    client.cookies.set(COOKIE, "not-a-token", domain="testserver", path="/api/v1/auth")
    assert_error(await client.post("/api/v1/auth/refresh"), 401, "REFRESH_TOKEN_INVALID")


async def test_logout_by_cookie_revokes_and_clears_it(client):
    login = await _login(client)
    token = login.json()["refresh_token"]
    out = await client.post("/api/v1/auth/logout")
    assert out.status_code == 204
    cleared = _set_cookie(out)[COOKIE]
    assert cleared.value == "" and cleared["path"] == "/api/v1/auth" and int(cleared["max-age"]) == 0
    assert client.cookies.get(COOKIE) is None
    revoked = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert_error(revoked, 401, "REFRESH_TOKEN_INVALID")
    again = await client.post("/api/v1/auth/logout", json={"refresh_token": token})
    assert again.status_code == 204  # twice is fine
    # neither a body nor the cookie: nothing to log out
    missing = assert_error(await client.post("/api/v1/auth/logout"), 422, "VALIDATION_ERROR")
    assert "body.refresh_token" in missing["details"]["fields"]


async def test_the_cookie_is_secure_behind_https(tmp_path, database_url):
    settings = make_settings(
        tmp_path, database_url, "http://127.0.0.1:9", public_base_url="https://zwfw.example.gov.cn"
    )
    async with LifespanManager(create_app(settings)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            cookie = _set_cookie(await _login(client))[COOKIE]
            assert cookie["secure"] is True and cookie["httponly"] is True


async def test_the_openapi_documents_the_cookie(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    for path in ("/api/v1/auth/staff", "/api/v1/auth/refresh", "/api/v1/auth/logout"):
        assert COOKIE in spec["paths"][path]["post"]["description"], path
