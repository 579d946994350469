"""Demo data. Each domain adds a seeder; every seeder is idempotent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from citizen_api.domains import SEEDERS
from citizen_api.users import service as users

# (username, password, role, department) — printed by make run; never used in production
DEMO_STAFF = [
    ("admin", "admin-demo-2026", "admin", ""),
    ("jiandu", "jiandu-demo-2026", "supervisor", ""),
    ("chuangkou", "chuangkou-demo-2026", "window", "GA"),
    ("chuangkou2", "chuangkou2-demo-2026", "window", "GA"),  # chuangkou's B角 (AB角) at the next window
    ("shenpi", "shenpi-demo-2026", "approver", "GA"),
]


async def seed_staff(settings) -> str:
    created = 0
    for username, password, role, department in DEMO_STAFF:
        if await users.account_by_username(username) is None:
            await users.add_staff(username, password, role, department or None)
            created += 1
    return f"staff: {created} created, {len(DEMO_STAFF) - created} already there"


def seeders() -> list[Callable[[object], Awaitable[str]]]:
    """The demo staff first (the appointments seeder seats the demo clerks at their windows), then
    each domain's seeder in domain order (the registry's)."""
    return [seed_staff, *SEEDERS]


async def seed_all(settings) -> list[str]:
    return [await seeder(settings) for seeder in seeders()]
