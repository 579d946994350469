"""Demo lockers (idempotent): the 市民中心's 24-hour pickup locker, as the simulator knows it."""

from __future__ import annotations

from citizen_api.lockers import repository as repo

DEMO_LOCKERS = [
    {
        "code": "SMZX-L1",
        "vendor_id": "L1",
        "name": "市民中心24小时自助取件柜",
        "place": "市民中心一楼东门（24小时开放）",
        "office_code": "SMZX",
    },
]


async def seed(_settings) -> str:
    created = 0
    for locker in DEMO_LOCKERS:
        fields = {k: v for k, v in locker.items() if k != "code"}
        created += await repo.upsert_locker(locker["code"], **fields)
    return f"lockers: {created} new of {len(DEMO_LOCKERS)}"
