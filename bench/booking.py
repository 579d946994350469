"""Booking rush: 2,000 distinct citizens tap "book" at once for 100 places, against the real server.

Prints how many were booked (must be exactly 100), refused (409) and failed (5xx, must be 0),
requests/s and latencies; then the ceiling — a raw asyncpg loop doing the same conditional
UPDATE with no HTTP, auth or ORM — and the ratio. Exits 1 if a place was given twice or a 5xx
was answered.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    bench_env,
    drop_pg_database,
    fresh_pg_database,
    load,
    run,
    run_cli,
    server_logging_to_file,
)

DB = "onetrip_bench_booking"
CITIZENS = 2_000
PLACES = 100
JWT_SECRET = "bench-booking-jwt-secret-0123456789-abcdef"
PERIOD = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": PLACES}]
UPDATE = "UPDATE appt_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity RETURNING booked"


async def setup(url: str) -> tuple[str, list[str], str]:
    """Catalog item, hall, a one-slot schedule, 2,000 citizens and an admin; returns tokens."""
    from citizen_api.appointments.models import (
        HOLIDAY_TEMPLATE,
        WEEKDAYS,
        Office,
        ScheduleTemplate,
        WindowGroup,
    )
    from citizen_api.catalog.models import Department, ServiceItem
    from citizen_api.db import close_db, init_db
    from citizen_api.domains import MODEL_MODULES
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.settings import Settings
    from citizen_api.users.models import User

    settings = Settings(database_url=url, jwt_secret=JWT_SECRET, access_token_ttl_seconds=3600)
    await init_db(url, MODEL_MODULES, max_pool=5)
    try:
        department = await Department.create(code="GA", name="公安局")
        item = await ServiceItem.create(
            code="GA-BOOK-1", basic_code="000000000001", department=department, is_published=True,
            name="居民身份证换领", bookable=True,
        )  # fmt: skip
        office = await Office.create(code="SMZX", name="市民中心 政务服务大厅")
        group = await WindowGroup.create(office=office, code="SMZX-GA", name="户政窗口", prefix="A")
        await group.items.add(item)
        for day in (*WEEKDAYS, HOLIDAY_TEMPLATE):
            await ScheduleTemplate.create(group=group, day=day, periods=PERIOD)
        await User.bulk_create([User(role="citizen", openid=f"bench-{i}") for i in range(CITIZENS)])
        ids = await User.filter(role="citizen").order_by("id").values_list("id", flat=True)
        admin = await User.create(role="admin", username="bench-admin")
        tokens = [issue_access_token(Principal(uid, "citizen"), settings) for uid in ids]
        return item.code, tokens, issue_access_token(Principal(admin.id, "admin"), settings)
    finally:
        await close_db()


async def pick_slot(base: str, item_code: str, admin_token: str) -> int:
    """The slot of the first open day ahead; opens tomorrow if the calendar offers none (unknown year)."""
    from citizen_api import clock

    async with aiohttp.ClientSession() as http:
        resp = await http.get(f"{base}/api/v1/appointments/days", params={"item_code": item_code})
        days = await resp.json()
        open_days = [d["date"] for d in days if d["available"]]
        if not open_days:
            tomorrow = (clock.today() + timedelta(days=1)).isoformat()
            headers = {"Authorization": f"Bearer {admin_token}"}
            body = {"kind": "holiday_service", "note": "bench"}
            resp = await http.put(f"{base}/api/v1/staff/calendar/{tomorrow}", json=body, headers=headers)
            assert resp.status == 200, await resp.text()
            open_days = [tomorrow]
        params = {"item_code": item_code, "date": open_days[0]}
        slots = await (await http.get(f"{base}/api/v1/appointments/slots", params=params)).json()
        assert slots and slots[0]["capacity"] == PLACES, slots
        return slots[0]["id"]


async def rush(base: str, item_code: str, slot_id: int, tokens: list[str]):
    codes: Counter[str] = Counter()

    async def attempt(session: aiohttp.ClientSession, i: int) -> int:
        headers = {"Authorization": f"Bearer {tokens[i]}"}
        body = {"slot_id": slot_id, "item_code": item_code}
        async with session.post(f"{base}/api/v1/appointments", json=body, headers=headers) as resp:
            payload = await resp.json(content_type=None)
            codes[payload["error"]["code"] if resp.status >= 400 else "booked"] += 1
            return resp.status

    result = await load(attempt, total=len(tokens), concurrency=len(tokens))
    return result, codes


async def raw_ceiling(url: str, slot_id: int) -> tuple[int, float]:
    """The same 2,000 conditional UPDATEs straight through asyncpg (20 connections, like the server)."""
    dsn = url.replace("postgres://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=20, max_size=20)
    try:
        await pool.execute("UPDATE appt_slots SET booked = 0 WHERE id = $1", slot_id)
        attempts = iter(range(CITIZENS))
        won = 0

        async def worker() -> None:
            nonlocal won
            for _ in attempts:
                async with pool.acquire() as conn:
                    booked = await conn.fetchval(UPDATE, slot_id)
                if booked is not None:
                    won += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(20)))
        return won, CITIZENS / (time.perf_counter() - started)
    finally:
        await pool.close()


async def main() -> int:
    url = await fresh_pg_database(DB)
    env = bench_env(url, ONETRIP_JWT_SECRET=JWT_SECRET, ONETRIP_LOG_JSON="true")
    try:
        run_cli(env, "migrate")
        item_code, tokens, admin_token = await setup(url)
        with server_logging_to_file(env, workers=2) as base:
            slot_id = await pick_slot(base, item_code, admin_token)
            result, codes = await rush(base, item_code, slot_id, tokens)
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
        try:
            booked_rows = await conn.fetchval("SELECT count(*) FROM appt_appointments WHERE status='booked'")
            slot_booked = await conn.fetchval("SELECT booked FROM appt_slots WHERE id = $1", slot_id)
        finally:
            await conn.close()
        won, raw_rps = await raw_ceiling(url, slot_id)
    finally:
        await drop_pg_database(DB)

    server_errors = sum(n for status, n in result.statuses.items() if status >= 500)
    print(result.line(f"booking rush ({CITIZENS} citizens, {PLACES} places, 2 workers)"))
    print(f"  answers: {dict(codes)}")
    print(
        f"  booked (201): {result.statuses.get(201, 0)}, refused (409): {result.statuses.get(409, 0)}, "
        f"5xx: {server_errors}; database: {booked_rows} appointments, slot.booked = {slot_booked}"
    )
    print(f"raw asyncpg conditional UPDATE loop: {raw_rps:.0f} updates/s ({won} won of {CITIZENS})")
    print(f"API / raw ceiling: {result.rps / raw_rps:.1%}")
    ok = result.statuses.get(201, 0) == booked_rows == slot_booked == PLACES and server_errors == 0
    print("OK: every place given exactly once, no 5xx" if ok else "FAILED: see the figures above")
    return 0 if ok and won == PLACES else 1


if __name__ == "__main__":
    sys.exit(run(main()))
