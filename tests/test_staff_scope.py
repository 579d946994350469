"""Roles and department scoping of staff queries."""

from __future__ import annotations

from tests.conftest import assert_error, create_staff


async def test_staff_see_their_department_and_centre_sees_all(api, client):
    await create_staff("ga1", "window", "GA")
    await create_staff("ga2", "approver", "GA")
    await create_staff("rs1", "window", "RS")
    await create_staff("boss", "supervisor", None)
    await create_staff("root", "admin", None)

    ga = (await client.get("/api/v1/staff/users", headers=await api.staff_headers("ga1"))).json()
    assert sorted(u["username"] for u in ga["items"]) == ["ga1", "ga2"]
    assert ga["total"] == 2
    rs = (await client.get("/api/v1/staff/users", headers=await api.staff_headers("rs1"))).json()
    assert [u["username"] for u in rs["items"]] == ["rs1"]
    everyone = (
        await client.get("/api/v1/staff/users?size=100", headers=await api.staff_headers("boss"))
    ).json()
    assert everyone["total"] == 5

    paged = (
        await client.get("/api/v1/staff/users?size=2&page=2", headers=await api.staff_headers("root"))
    ).json()
    assert paged["total"] == 5 and len(paged["items"]) == 2


async def test_citizens_cannot_list_staff(api, client):
    assert_error(
        await client.get("/api/v1/staff/users", headers=await api.citizen_headers()), 403, "FORBIDDEN"
    )
    assert_error(await client.get("/api/v1/staff/users"), 401, "UNAUTHENTICATED")


async def test_add_staff_rules():
    import pytest

    from citizen_api.users.service import StaffError

    with pytest.raises(StaffError):
        await create_staff("nodept", "window", None)
    with pytest.raises(StaffError):
        await create_staff("badrole", "citizen", "GA")
    with pytest.raises(StaffError):
        await create_staff("short", "admin", None, password="short")


async def test_add_staff_rules_run_on_both_databases(database_url, app):
    # the fixture chain above makes this run against SQLite and PostgreSQL
    await test_add_staff_rules()
