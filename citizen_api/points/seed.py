"""Demo 三级便民服务 (idempotent): the 市民中心 hall as the district centre, a town centre and a village
point under it, and the point's 代办员 (printed by ``make run``; never used in production)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.points import repository as repo
from citizen_api.users import service as users

# (code, name, level, parent); SMZX is the appointments seeder's hall
DEMO_PLACES = [
    ("SMZX", None, "district", None),
    ("HXZ", "河西镇便民服务中心", "town", "SMZX"),
    ("HXZ-DC", "河西镇东村便民服务点", "village", "HXZ"),
]
DEMO_AGENT = ("cundaiban", "cundaiban-demo-2026")


async def seed(_settings) -> str:
    placed = 0
    for code, name, level, parent in DEMO_PLACES:
        if name is not None:
            await appointments.ensure_office(code, name)
        if code not in await appointments.office_names() or await repo.place_of(code) is not None:
            continue
        await repo.save_place(code, level=level, parent_code=parent, placed_by=0, placed_at=clock.now())
        placed += 1
    username, password = DEMO_AGENT
    made = ""
    if await users.account_by_username(username) is None:
        await users.add_staff(username, password, "village_agent", None, office_code="HXZ-DC")
        made = f"; 代办员 {username} / {password}"
    return f"points: {placed} offices placed{made}"
