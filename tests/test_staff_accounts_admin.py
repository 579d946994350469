"""Admins create, disable and reset staff accounts over the API (audited), and what a login then
does: an admin-set password must be changed (``must_change_password``) until its owner changes it.

Run on SQLite and PostgreSQL (the ``client`` fixture is built on ``database_url``).
"""

from __future__ import annotations

from citizen_api.audit.models import AuditLog
from citizen_api.catalog.models import Department
from tests.conftest import assert_error, create_staff

USERS = "/api/v1/staff/users"
INITIAL = "Initial-Pass-26"
OWN = "Own-Choice-2027"


async def _login(client, username: str, password: str):
    return await client.post("/api/v1/auth/staff", json={"username": username, "password": password})


def _auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _admin(client) -> dict:
    await Department.get_or_create(code="GA", defaults={"name": "公安局"})
    await create_staff("boss", "admin", None)
    resp = await _login(client, "boss", "correct-horse-9")
    assert resp.status_code == 200, resp.text
    return {**_auth(resp.json()), "id": str(resp.json()["user"]["id"])}


def _new(username: str = "li", **overrides) -> dict:
    return {"username": username, "password": INITIAL, "role": "window", "department": "GA", **overrides}


async def test_create_an_account_whose_owner_must_change_the_password(client):
    admin = await _admin(client)
    headers = {"Authorization": admin["Authorization"]}
    created = await client.post(USERS, json=_new(display_name="李窗口"), headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ("username", "role", "department", "display_name", "is_active")} == {
        "username": "li",
        "role": "window",
        "department": "GA",
        "display_name": "李窗口",
        "is_active": True,
    }
    assert body["must_change_password"] is True and INITIAL not in created.text and "hash" not in created.text
    listed = (await client.get(USERS, headers=headers)).json()["items"]
    assert any(u["username"] == "li" and u["must_change_password"] for u in listed)

    first = await _login(client, "li", INITIAL)
    assert first.status_code == 200, first.text
    assert first.json()["user"]["must_change_password"] is True
    changed = await client.post(
        "/api/v1/auth/password",
        json={"old_password": INITIAL, "new_password": OWN},
        headers=_auth(first.json()),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["user"]["must_change_password"] is False
    assert (await _login(client, "li", OWN)).json()["user"]["must_change_password"] is False

    # the admin resets it: to be changed again, and every session of the account ends
    session = (await _login(client, "li", OWN)).json()
    user_id = body["id"]
    reset = await client.post(
        f"{USERS}/{user_id}/reset-password", json={"password": INITIAL}, headers=headers
    )
    assert reset.status_code == 200 and reset.json()["must_change_password"] is True
    stale = await client.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert_error(stale, 401, "REFRESH_TOKEN_INVALID")
    assert_error(await _login(client, "li", OWN), 401, "INVALID_CREDENTIALS")
    assert (await _login(client, "li", INITIAL)).json()["user"]["must_change_password"] is True

    actions = await AuditLog.filter(object_type="user", object_id=str(user_id)).values_list(
        "action", flat=True
    )
    assert {"staff.create", "password.change", "password.reset"} <= set(actions)


async def test_bad_accounts_are_refused_with_the_field(client):
    admin = await _admin(client)
    headers = {"Authorization": admin["Authorization"]}
    assert (await client.post(USERS, json=_new(), headers=headers)).status_code == 201
    taken = assert_error(await client.post(USERS, json=_new(), headers=headers), 409, "USERNAME_TAKEN")
    assert taken["details"] == {"username": "li"}

    cases = {
        "body.password": [
            _new("a1", password="short"),
            _new("a2", password="alllowercase"),
            _new("wangwu", password="Wangwu-2026!"),
        ],
        "body.role": [_new("a3", role="citizen")],
        "body.department": [_new("a4", department=None), _new("a5", role="approver", department=None)],
        "body.username": [_new("has space"), _new("x" * 65)],
    }
    for field, bodies in cases.items():
        for body in bodies:
            error = assert_error(
                await client.post(USERS, json=body, headers=headers), 422, "VALIDATION_ERROR"
            )
            assert field in error["details"]["fields"], (body, error)
    unknown = await client.post(USERS, json=_new("a6", department="NOPE"), headers=headers)
    assert assert_error(unknown, 422, "UNKNOWN_DEPARTMENT")["details"] == {"department": "NOPE"}
    # centre-wide roles need no department
    supervisor = await client.post(
        USERS, json=_new("jian", role="supervisor", department=None), headers=headers
    )
    assert supervisor.status_code == 201 and supervisor.json()["department"] is None

    clerk = (await _login(client, "li", INITIAL)).json()
    assert_error(await client.post(USERS, json=_new("b1"), headers=_auth(clerk)), 403, "FORBIDDEN")
    assert_error(await client.post(USERS, json=_new("b2")), 401, "UNAUTHENTICATED")


async def test_a_disabled_account_cannot_log_in_or_refresh(client):
    admin = await _admin(client)
    headers = {"Authorization": admin["Authorization"]}
    user_id = (await client.post(USERS, json=_new(), headers=headers)).json()["id"]
    session = (await _login(client, "li", INITIAL)).json()

    clerk = _auth(session)
    assert_error(await client.post(f"{USERS}/{user_id}/disable", headers=clerk), 403, "FORBIDDEN")
    disabled = await client.post(f"{USERS}/{user_id}/disable", headers=headers)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["is_active"] is False and disabled.json()["username"] == "li"

    assert_error(await _login(client, "li", INITIAL), 403, "ACCOUNT_DISABLED")
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert_error(refreshed, 401, "REFRESH_TOKEN_INVALID")
    listed = (await client.get(USERS, headers=headers)).json()["items"]
    assert [u["is_active"] for u in listed if u["username"] == "li"] == [False]

    assert_error(await client.post(f"{USERS}/999999/disable", headers=headers), 404, "NOT_FOUND")
    assert_error(
        await client.post(f"{USERS}/{admin['id']}/disable", headers=headers), 409, "CANNOT_DISABLE_SELF"
    )
    audited = await AuditLog.filter(action="staff.disable", object_id=str(user_id)).first()
    assert audited is not None and audited.details["revoked_sessions"] >= 1
