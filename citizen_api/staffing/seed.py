"""Demo AB角 for ``onetrip seed-demo``: the two demo window clerks of 公安局 are each other's B角, so an
operator can mark one absent and watch the other take over (a backup set by an admin since is kept)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.staffing import repository as repo
from citizen_api.users import service as users

DEMO_PAIRS = [("chuangkou", "chuangkou2"), ("chuangkou2", "chuangkou")]  # A, B (citizen_api.seed.DEMO_STAFF)
DEMO_ADMIN = "admin"  # recorded as who set them


async def seed(settings) -> str:
    admin = await users.account_by_username(DEMO_ADMIN)
    named = 0
    for a_name, b_name in DEMO_PAIRS:
        a, b = await users.account_by_username(a_name), await users.account_by_username(b_name)
        if admin is None or a is None or b is None or await repo.backup_of(a.id) is not None:
            continue
        await repo.set_backup(a.id, b.id, admin.id, clock.now())
        named += 1
    return f"staffing: {named} demo backups named"
