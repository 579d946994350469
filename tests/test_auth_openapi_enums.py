"""The served OpenAPI lists the roles (and the other answer enums of auth and users) as enums."""

from __future__ import annotations

from citizen_api.security.principal import ALL_ROLES, STAFF_ACCOUNT_ROLES


async def test_served_spec_has_role_enums(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["UserRef"]["properties"]["role"]["enum"]) == ALL_ROLES
    assert set(schemas["Profile"]["properties"]["role"]["enum"]) == ALL_ROLES
    # staff accounts: the hall's roles and the village points' 代办员 (三级便民服务)
    assert set(schemas["StaffSummary"]["properties"]["role"]["enum"]) == STAFF_ACCOUNT_ROLES
    token_type = schemas["TokenPair"]["properties"]["token_type"]
    assert token_type.get("enum", [token_type.get("const")]) == ["bearer"]

    paths = spec["paths"]
    for path in ("/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/staff/users/{id}/unlock"):
        assert "post" in paths[path], path
    login = paths["/api/v1/auth/staff"]["post"]
    assert "429" in login["responses"] and "锁定" in login["description"]
    assert "403" in paths["/api/v1/auth/password"]["post"]["responses"]
