"""Lottery day (摇号), scenario 4 of issue 16: 50,000 registrations for 500 places on PostgreSQL.

1. The real server (2 uvicorn processes): an admin makes the day a lottery day, then 2,000 citizens
   with real-name profiles register at once, one TCP connection per request (as phones do), plus
   200 second WeChat accounts of people already registered (each must be refused).
2. The other 48,000 registrations are bulk-made through the repository (the draw's time is what is
   measured; a rush of registrations is step 1).
3. The draw: ``onetrip appointments draw-lotteries`` (what the periodic job ``lottery_draws`` runs),
   timed as a whole and as it reports itself (the draw's unit of work, then the losers told).
4. ``onetrip appointments verify-draw <id>`` recomputing it from the stored seed and ids, and the
   offline form (``--seed --ids-file --places``) from the published entries; both timed.

Prints every figure; exits 1 unless exactly 500 were booked, every registration was decided and
both verifications match.
"""

from __future__ import annotations

import asyncio
import base64
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import bench_env, drop_pg_database, fresh_pg_database, load, run, run_cli, server
from citizen_api.appointments.lottery_draw import CLOSING_GRACE

DB = "onetrip_bench_lottery"
RUSH = 2_000  # concurrent registration POSTs through the server
SECOND_ACCOUNTS = 200  # a person's other WeChat account trying again (409 ALREADY_REGISTERED)
TOTAL = 50_000
PLACES = 500
# 10 hourly slots of 55: the default 10 % staff share (5 each) stays, 50 each go to the draw
PERIODS = [{"start": "08:00", "end": "18:00", "slot_minutes": 60, "capacity": 55}]
JWT_SECRET = "bench-lottery-jwt-secret-0123456789-abcdef"
DATA_KEY = base64.urlsafe_b64encode(b"L" * 32).decode()
REGISTRATION_SECONDS = 60  # the registration window closes (and the draw is due) this long after creation


async def setup(url: str) -> tuple[str, str, list[str], list[str], list[int]]:
    """Item, hall, schedule, an admin and 2,000 + 48,000 citizens (the first 2,000 with profiles)."""
    from citizen_api.appointments.models import WEEKDAYS, Office, ScheduleTemplate, WindowGroup
    from citizen_api.catalog.models import Department, ServiceItem
    from citizen_api.db import close_db, init_db
    from citizen_api.registry_models import MODEL_MODULES
    from citizen_api.security.crypto import cipher_for
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.settings import Settings
    from citizen_api.users.models import User

    settings = Settings(
        database_url=url, jwt_secret=JWT_SECRET, data_key=DATA_KEY, access_token_ttl_seconds=7200
    )
    cipher = cipher_for(settings)
    await init_db(url, MODEL_MODULES, max_pool=5)
    try:
        department = await Department.create(code="WJ", name="卫生健康委")
        item = await ServiceItem.create(
            code="WJ-HPV-1", basic_code="000000000001", department=department, is_published=True,
            name="九价疫苗接种预约", bookable=True,
        )  # fmt: skip
        office = await Office.create(code="SMZX", name="市民中心 政务服务大厅")
        group = await WindowGroup.create(office=office, code="SMZX-WJ", name="疫苗窗口", prefix="V")
        await group.items.add(item)
        for day in WEEKDAYS:
            await ScheduleTemplate.create(group=group, day=day, periods=PERIODS)
        name, phone = cipher.encrypt("张三"), cipher.encrypt("13800000000")
        profiled = []
        for n in range(RUSH + SECOND_ACCOUNTS):
            id_number = f"11010119{60 + n % 40}0101{n % RUSH:04d}"
            profiled.append(
                User(
                    role="citizen",
                    openid=f"bench-real-{n}",
                    name_enc=name,
                    phone_enc=phone,
                    id_number_enc=cipher.encrypt(id_number),
                    id_number_index=cipher.blind_index(id_number),
                )
            )
        await User.bulk_create(profiled, batch_size=1000)
        await User.bulk_create(
            [User(role="citizen", openid=f"bench-bulk-{n}") for n in range(TOTAL - RUSH)], batch_size=5000
        )
        real = await User.filter(openid__startswith="bench-real-").order_by("id").values_list("id", flat=True)
        bulk = await User.filter(openid__startswith="bench-bulk-").order_by("id").values_list("id", flat=True)
        admin = await User.create(role="admin", username="bench-admin")
        tokens = [issue_access_token(Principal(uid, "citizen"), settings) for uid in real]
        admin_token = issue_access_token(Principal(admin.id, "admin"), settings)
        return item.code, admin_token, tokens[:RUSH], tokens[RUSH:], list(bulk)
    finally:
        await close_db()


async def lottery_date(base: str, item_code: str) -> str:
    """The first workday at least two days ahead (the draw must come before the day)."""
    from citizen_api import clock

    async with aiohttp.ClientSession() as http:
        params = {"item_code": item_code, "from": (clock.today() + timedelta(days=2)).isoformat()}
        days = await (await http.get(f"{base}/api/v1/appointments/days", params=params)).json()
    return next(d["date"] for d in days if d["kind"] == "workday")


async def create_draw(base: str, admin_token: str, day: str) -> dict:
    from citizen_api import clock

    now = clock.now()
    body = {
        "group_code": "SMZX-WJ",
        "date": day,
        "registration_opens_at": (now - timedelta(minutes=1)).isoformat(),
        "registration_closes_at": (now + timedelta(seconds=REGISTRATION_SECONDS)).isoformat(),
        "draw_at": (now + timedelta(seconds=REGISTRATION_SECONDS)).isoformat(),
    }
    headers = {"Authorization": f"Bearer {admin_token}"}
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{base}/api/v1/staff/appointments/lottery-draws", json=body, headers=headers)
        assert resp.status == 201, await resp.text()
        return await resp.json()


async def registration_rush(base: str, item_code: str, day: str, tokens: list[str]):
    """Every token registers at once, one TCP connection per request."""
    codes: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=0, force_close=True)

    async def attempt(session: aiohttp.ClientSession, i: int) -> int:
        headers = {"Authorization": f"Bearer {tokens[i]}"}
        body = {"item_code": item_code, "date": day, "waitlist": i % 10 == 0}
        async with session.post(f"{base}/api/v1/appointments/lottery", json=body, headers=headers) as resp:
            payload = await resp.json(content_type=None)
            codes[payload["error"]["code"] if resp.status >= 400 else "registered"] += 1
            return resp.status

    async with aiohttp.ClientSession(connector=connector) as session:
        result = await load(lambda _s, i: attempt(session, i), total=len(tokens), concurrency=len(tokens))
    return result, codes


async def bare(base: str, count: int):
    """The same server's trivial endpoint (GET /healthz), ``count`` at once, one connection each."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)

    async def attempt(session: aiohttp.ClientSession, i: int) -> int:
        async with session.get(f"{base}/healthz") as resp:
            await resp.read()
            return resp.status

    async with aiohttp.ClientSession(connector=connector) as session:
        return await load(lambda _s, i: attempt(session, i), total=count, concurrency=count)


async def bulk_register(url: str, draw_id: int, item_code: str, user_ids: list[int]) -> float:
    from citizen_api.appointments.repository import lottery as repo
    from citizen_api.catalog.models import ServiceItem
    from citizen_api.db import close_db, init_db
    from citizen_api.registry_models import MODEL_MODULES

    await init_db(url, MODEL_MODULES, max_pool=5)
    try:
        item_id = (await ServiceItem.get(code=item_code)).id
        rows = [
            {
                "draw_id": draw_id,
                "user_id": uid,
                "person": f"bulk-person-{uid}",
                "item_id": item_id,
                "item_code": item_code,
                "waitlist": uid % 10 == 0,
            }
            for uid in user_ids
        ]
        started = time.perf_counter()
        await repo.bulk_entries(rows)
        return time.perf_counter() - started
    finally:
        await close_db()


def timed_cli(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        out = run_cli(env, *args)
    except Exception as exc:  # verify-draw exits 1 on a mismatch: report it, do not crash
        out = getattr(exc, "stdout", "") or str(exc)
    return time.perf_counter() - started, out


async def main() -> int:
    url = await fresh_pg_database(DB)
    env = bench_env(
        url,
        ONETRIP_JWT_SECRET=JWT_SECRET,
        ONETRIP_DATA_KEY=DATA_KEY,
        # phones come from many addresses; here every request comes from 127.0.0.1
        ONETRIP_BOOKING_ATTEMPTS_PER_MINUTE_PER_ADDRESS="10000000",
    )
    dsn = url.replace("postgres://", "postgresql://")
    try:
        run_cli(env, "migrate")
        item_code, admin_token, tokens, second_tokens, bulk_ids = await setup(url)
        with server(env, workers=2) as base:
            day = await lottery_date(base, item_code)
            draw = await create_draw(base, admin_token, day)
            rush, codes = await registration_rush(base, item_code, day, tokens)
            again, again_codes = await registration_rush(base, item_code, day, second_tokens)
            reference = await bare(base, RUSH)
        bulk_seconds = await bulk_register(url, draw["id"], item_code, bulk_ids)
        conn = await asyncpg.connect(dsn)
        try:
            registered = await conn.fetchval("SELECT count(*) FROM appt_lottery_entries")
            due = await conn.fetchval("SELECT draw_at FROM appt_lottery_draws WHERE id = $1", draw["id"])
        finally:
            await conn.close()
        wait = (due - datetime.now(due.tzinfo)).total_seconds()
        await asyncio.sleep(max(0.0, wait) + CLOSING_GRACE.total_seconds() + 0.5)
        draw_seconds, draw_out = timed_cli(env, "appointments", "draw-lotteries")
        verify_seconds, verify_out = timed_cli(env, "appointments", "verify-draw", str(draw["id"]))
        conn = await asyncpg.connect(dsn)
        try:
            seed = await conn.fetchval("SELECT seed FROM appt_lottery_draws WHERE id = $1", draw["id"])
            ids = await conn.fetch(
                "SELECT id FROM appt_lottery_entries WHERE draw_id = $1 ORDER BY id", draw["id"]
            )
            statuses = dict(
                await conn.fetch("SELECT status, count(*) FROM appt_lottery_entries GROUP BY status")
            )
            booked = await conn.fetchval("SELECT count(*) FROM appt_appointments WHERE source = 'lottery'")
            slot_booked = await conn.fetchval("SELECT sum(booked) FROM appt_slots")
            messages = dict(
                await conn.fetch(
                    "SELECT event, count(*) FROM notifications "
                    "WHERE event LIKE 'appointment.lottery_%' GROUP BY event"
                )
            )
            waiting = await conn.fetchval("SELECT count(*) FROM appt_waitlist")
        finally:
            await conn.close()
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as ids_file:
            ids_file.write("\n".join(str(r["id"]) for r in ids))
        offline_seconds, offline_out = timed_cli(
            env,
            "appointments",
            "verify-draw",
            "--seed",
            seed,
            "--ids-file",
            ids_file.name,
            "--places",
            str(PLACES),
        )
    finally:
        await drop_pg_database(DB)

    print(rush.line(f"lottery registration rush ({RUSH} citizens at once, one connection each, 2 workers)"))
    print(f"  answers: {dict(codes)}")
    print(reference.line(f"bare endpoint of the same server (GET /healthz, {RUSH} at once)"))
    print(f"  registration / bare: {rush.rps / reference.rps:.2f}")
    print(again.line(f"second WeChat accounts of registered people ({SECOND_ACCOUNTS})"))
    print(f"  answers: {dict(again_codes)}")
    print(f"bulk registrations: {TOTAL - RUSH} in {bulk_seconds:.2f} s; registered in all: {registered}")
    print(f"draw (onetrip appointments draw-lotteries, process included): {draw_seconds:.2f} s")
    print(f"  {draw_out.strip()}")
    print(
        f"  entries: {statuses}; lottery appointments {booked}, slots booked {slot_booked}, "
        f"waiting list {waiting}"
    )
    print(f"  messages: {messages}")
    print(f"verify-draw {draw['id']} (stored seed and ids): {verify_seconds:.2f} s")
    for line in verify_out.strip().splitlines():
        print(f"  {line}")
    print(f"verify-draw offline (--seed --ids-file --places, {len(ids)} ids): {offline_seconds:.2f} s")
    print(f"  {offline_out.strip().splitlines()[1] if offline_out.strip() else offline_out}")
    ok = (
        codes == {"registered": RUSH}
        and again_codes == {"ALREADY_REGISTERED": SECOND_ACCOUNTS}
        and registered == TOTAL
        and booked == PLACES
        and statuses.get("won") == PLACES
        and statuses.get("lost") == TOTAL - PLACES
        and "match" in verify_out.splitlines()[-1]
        and "MISMATCH" not in verify_out
    )
    print("OK: 500 booked exactly, every registration decided, the draw reproduced" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(main()))
