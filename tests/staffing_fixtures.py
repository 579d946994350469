"""AB角 test helpers: clerks (ids and tokens), seated at windows of two window groups of one hall."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.appointments.models import Window
from citizen_api.users.models import User
from tests.appointments_fixtures import bearer, make_hall

USERS = "/api/v1/staff/users"


@dataclass
class Clerk:
    id: int
    headers: dict


async def clerk(settings, username: str, name: str, *, role: str = "window", department: str | None = "GA"):
    user = await User.create(role=role, username=username, display_name=name, department_code=department)
    return Clerk(user.id, bearer(settings, user.id, role, department))


async def manager(settings, username: str = "chief", role: str = "supervisor") -> Clerk:
    return await clerk(settings, username, "科长", role=role, department=None)


async def seat(client, admin: Clerk, who: Clerk, window: Window) -> None:
    resp = await client.put(f"{USERS}/{who.id}/window", json={"window_id": window.id}, headers=admin.headers)
    assert resp.status_code == 200, resp.text


async def two_desks(client, settings):
    """Group A (window 5, 王敏's) and group B (window 7, 李强's) of the GA department, one hall."""
    hall_a = await make_hall(prefix="A")
    hall_b = await make_hall(prefix="B")
    window_a = await Window.create(group=hall_a.group, number="5", name="5号窗口")
    window_b = await Window.create(group=hall_b.group, number="7", name="7号窗口")
    admin = await manager(settings, "admin", "admin")
    a = await clerk(settings, "wangmin", "王敏")
    b = await clerk(settings, "liqiang", "李强")
    await seat(client, admin, a, window_a)
    await seat(client, admin, b, window_b)
    return hall_a, hall_b, a, b, admin
