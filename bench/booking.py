"""Release day (issue 16, scenarios 1–3), in one run, against the production layout: PostgreSQL,
Redis, 2 uvicorn processes and ``onetrip worker``; one TCP connection per request (as phones do).

1. 2,000 citizens with real-name profiles at once for one slot of 100: exactly 100 booked, 0 5xx;
   requests/s beside the bare endpoint (GET /healthz, 2,000 at once, the same run), 100th place, p99.
2. 20,000 attempts for a day's 10 slots (10,000 citizens twice, 2,000 at a time): the same figures.
3. The release minute: 5,000 citizens poll GET /appointments/days and /slots (every ~4 s) until the
   day's ``opens_at`` (a release rule set through the admin API), then book a slot that showed places
   (trying another on SLOT_FULL): the time from ``opens_at`` to the last place, every request > 2 s.

Slots hold 111 places: the default 10 % staff share (11) stays, 100 go to citizens. Exits 1 if a
place was given twice or short, or a 5xx was answered. Then runs scenario 4 (bench/booking_lottery.py).
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ROOT,
    bench_env,
    drop_pg_database,
    fresh_pg_database,
    onetrip_worker,
    run,
    run_cli,
    server,
    stop,
)

DB = "onetrip_bench_booking"
REDIS_URL = "redis://127.0.0.1:6379/12"
JWT_SECRET = "bench-booking-jwt-secret-0123456789-abcdef"
DATA_KEY = base64.urlsafe_b64encode(b"B" * 32).decode()
CAPACITY, PLACES = 111, 100  # 10 % (11) kept for staff booking
ONE_SLOT = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": CAPACITY}]
TEN_SLOTS = [{"start": "08:00", "end": "18:00", "slot_minutes": 60, "capacity": CAPACITY}]
S1, S2, S2_PHONES, S3 = 2_000, 10_000, 2_000, 5_000
POLL_SECONDS = 4.0
SLOW_MS = 2_000


@dataclass
class Burst:
    started: float = 0.0
    ended: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    booked_at: list[float] = field(default_factory=list)  # perf_counter of each 201
    slow: list[tuple[str, float]] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def rps(self) -> float:
        return self.requests / (self.ended - self.started) if self.ended > self.started else 0.0

    def pct(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))] if data else 0.0

    def errors_5xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.requests} requests in {self.ended - self.started:.2f} s = {self.rps:.0f} req/s, "
            f"p50 {self.pct(50):.0f} ms, p99 {self.pct(99):.0f} ms, max {self.pct(100):.0f} ms, "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )

    async def call(self, session, method: str, url: str, label: str, **kwargs) -> tuple[int, dict | list]:
        t0 = time.perf_counter()
        try:
            async with session.request(method, url, **kwargs) as resp:
                payload = await resp.json(content_type=None)
                status = resp.status
        except (TimeoutError, aiohttp.ClientError, ValueError):
            status, payload = 599, {}
        t1 = time.perf_counter()
        ms = (t1 - t0) * 1000
        self.latencies_ms.append(ms)
        self.statuses[status] += 1
        if ms > SLOW_MS:
            self.slow.append((label, ms))
        if label == "book":
            if status == 201:
                self.booked_at.append(t1)
                self.codes["booked"] += 1
            elif isinstance(payload, dict) and "error" in payload:
                self.codes[payload["error"]["code"]] += 1
        return status, payload


def session() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # one TCP connection per request
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60))


async def setup(url: str) -> dict:
    """Three items (one per scenario), each served by its own window group, an admin and 17,000
    citizens with real-name profiles (distinct ID numbers); returns codes, group ids and tokens."""
    from citizen_api.appointments.models import (
        HOLIDAY_TEMPLATE,
        WEEKDAYS,
        Office,
        ScheduleTemplate,
        WindowGroup,
    )
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
        department = await Department.create(code="GA", name="公安局")
        office = await Office.create(code="SMZX", name="市民中心 政务服务大厅")
        out: dict = {"items": [], "groups": []}
        for n, periods in enumerate((ONE_SLOT, TEN_SLOTS, TEN_SLOTS), start=1):
            item = await ServiceItem.create(
                code=f"GA-BOOK-{n}", basic_code=f"{n:012d}", department=department, is_published=True,
                name=f"居民身份证换领{n}", bookable=True,
            )  # fmt: skip
            group = await WindowGroup.create(
                office=office, code=f"SMZX-GA{n}", name=f"户政窗口{n}", prefix=f"A{n}"
            )
            await group.items.add(item)
            for day in (*WEEKDAYS, HOLIDAY_TEMPLATE):
                await ScheduleTemplate.create(group=group, day=day, periods=periods)
            out["items"].append(item.code)
            out["groups"].append(group.id)
        total = S1 + S2 + S3
        phone = cipher.encrypt("13800000000")
        name = cipher.encrypt("张三")
        users = []
        for number in (f"1101011990{i:08d}" for i in range(total)):
            secret = {"id_number_enc": cipher.encrypt(number), "id_number_index": cipher.blind_index(number)}
            users.append(User(role="citizen", openid=f"b-{number}", name_enc=name, phone_enc=phone, **secret))
        await User.bulk_create(users, batch_size=2_000)
        ids = await User.filter(role="citizen").order_by("id").values_list("id", flat=True)
        out["tokens"] = [issue_access_token(Principal(uid, "citizen"), settings) for uid in ids]
        admin = await User.create(role="admin", username="bench-admin")
        out["admin"] = issue_access_token(Principal(admin.id, "admin"), settings)
        return out
    finally:
        await close_db()


async def open_day(http, base: str, item_code: str, admin: str, skip: set[str]) -> str:
    """The first available day of the item not in ``skip``; opens one (holiday service) if none."""
    resp = await http.get(f"{base}/api/v1/appointments/days", params={"item_code": item_code})
    days = [d["date"] for d in await resp.json() if d["available"] and d["date"] not in skip]
    if days:
        return days[0]
    day = (date.today() + timedelta(days=1 + len(skip))).isoformat()
    body = {"kind": "holiday_service", "note": "bench"}
    headers = {"Authorization": f"Bearer {admin}"}
    resp = await http.put(f"{base}/api/v1/staff/calendar/{day}", json=body, headers=headers)
    assert resp.status == 200, await resp.text()
    return day


async def slot_ids(http, base: str, item_code: str, day: str) -> list[int]:
    resp = await http.get(f"{base}/api/v1/appointments/slots", params={"item_code": item_code, "date": day})
    slots = await resp.json()
    assert slots and all(s["capacity"] == PLACES for s in slots), slots
    return [s["id"] for s in slots]


def book_kwargs(token: str, slot_id: int, item_code: str) -> dict:
    return {
        "json": {"slot_id": slot_id, "item_code": item_code},
        "headers": {"Authorization": f"Bearer {token}"},
    }


async def bare(base: str, count: int) -> Burst:
    out = Burst()
    async with session() as http:
        out.started = time.perf_counter()
        await asyncio.gather(*(out.call(http, "GET", f"{base}/healthz", "bare") for _ in range(count)))
        out.ended = time.perf_counter()
    return out


async def scenario_1(base: str, item_code: str, slot_id: int, tokens: list[str]) -> Burst:
    out = Burst()
    url = f"{base}/api/v1/appointments"
    async with session() as http:
        out.started = time.perf_counter()
        await asyncio.gather(
            *(out.call(http, "POST", url, "book", **book_kwargs(t, slot_id, item_code)) for t in tokens)
        )
        out.ended = time.perf_counter()
    return out


async def scenario_2(base: str, item_code: str, slots: list[int], tokens: list[str]) -> Burst:
    out = Burst()
    url = f"{base}/api/v1/appointments"
    attempts = iter([(t, random.choice(slots)) for t in tokens for _ in range(2)])
    random.seed(16)

    async def phone(http) -> None:
        for token, slot_id in attempts:
            await out.call(http, "POST", url, "book", **book_kwargs(token, slot_id, item_code))

    async with session() as http:
        out.started = time.perf_counter()
        await asyncio.gather(*(phone(http) for _ in range(S2_PHONES)))
        out.ended = time.perf_counter()
    return out


async def set_release(http, base: str, admin: str, group_id: int, day: str) -> datetime:
    """A release rule making ``day`` open at the next minute at least 25 s ahead; returns that instant."""
    from citizen_api import clock

    release = (clock.local_now() + timedelta(seconds=90)).replace(second=0, microsecond=0)
    body = {"days_before": (date.fromisoformat(day) - release.date()).days, "at": release.strftime("%H:%M")}
    url = f"{base}/api/v1/staff/window-groups/{group_id}/release-rules"
    resp = await http.put(url, json=body, headers={"Authorization": f"Bearer {admin}"})
    assert resp.status == 200, await resp.text()
    return release


async def scenario_3(
    base: str, item_code: str, day: str, tokens: list[str], release: datetime
) -> tuple[Burst, float]:
    out = Burst()
    days_url, slots_url, book_url = (f"{base}/api/v1/appointments{p}" for p in ("/days", "/slots", ""))
    opens_wall = release.timestamp()

    async def citizen(http, token: str) -> None:
        await asyncio.sleep(random.uniform(0, POLL_SECONDS))
        while True:
            await out.call(
                http, "GET", days_url, "days", params={"item_code": item_code, "from": day, "to": day}
            )
            _, slots = await out.call(
                http, "GET", slots_url, "slots", params={"item_code": item_code, "date": day}
            )
            if not isinstance(slots, list) or not slots:
                return
            if slots[0]["opens_at"] is None:
                break
            ahead = opens_wall - time.time()
            await asyncio.sleep(
                ahead if ahead < POLL_SECONDS else random.uniform(POLL_SECONDS * 0.75, POLL_SECONDS)
            )
        free = [s["id"] for s in slots if s["remaining"] > 0]
        random.shuffle(free)
        for slot_id in free[:3]:
            status, _ = await out.call(
                http, "POST", book_url, "book", **book_kwargs(token, slot_id, item_code)
            )
            if status != 409 or _.get("error", {}).get("code") != "SLOT_FULL":
                return

    async with session() as http:
        out.started = time.perf_counter()
        await asyncio.gather(*(citizen(http, t) for t in tokens))
        out.ended = time.perf_counter()
    wall_minus_perf = time.time() - time.perf_counter()
    last = max(out.booked_at, default=0.0) + wall_minus_perf - opens_wall
    return out, last


async def counts(dsn: str) -> dict[int, tuple[int, int]]:
    """slot id → (slot.booked, booked appointments)."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT s.id, s.booked, count(a.id) FILTER (WHERE a.status = 'booked') AS n "
            "FROM appt_slots s LEFT JOIN appt_appointments a ON a.slot_id = s.id GROUP BY s.id"
        )
        return {r["id"]: (r["booked"], r["n"]) for r in rows}
    finally:
        await conn.close()


def report(
    label: str, burst: Burst, ref: Burst, slots: list[int], booked: dict, release_at: float | None
) -> bool:
    print(burst.line(label))
    print(f"  answers: {dict(burst.codes)}")
    per_slot = [booked.get(s, (0, 0)) for s in slots]
    exact = all(b == n == PLACES for b, n in per_slot)
    print(f"  booked per slot (slot.booked, appointments): {per_slot} — {'exact' if exact else 'NOT EXACT'}")
    if release_at is None:
        times = sorted(t - burst.started for t in burst.booked_at)
        if len(times) >= PLACES:
            print(f"  100th place {times[PLACES - 1]:.2f} s after the burst started; last {times[-1]:.2f} s")
    print(f"  requests/s vs bare endpoint ({ref.rps:.0f} req/s): {burst.rps / ref.rps:.2f}")
    print(f"  5xx: {burst.errors_5xx()}; requests > {SLOW_MS} ms: {len(burst.slow)}")
    return exact and burst.errors_5xx() == 0


async def main() -> int:
    url = await fresh_pg_database(DB)
    env = bench_env(
        url,
        ONETRIP_JWT_SECRET=JWT_SECRET,
        ONETRIP_DATA_KEY=DATA_KEY,
        ONETRIP_REDIS_URL=REDIS_URL,
        # phones come from many addresses; here every request comes from 127.0.0.1
        ONETRIP_BOOKING_ATTEMPTS_PER_MINUTE_PER_ADDRESS="10000000",
    )
    dsn = url.replace("postgres://", "postgresql://")
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    ok = True
    proc = None
    try:
        run_cli(env, "migrate")
        seeded = await setup(url)
        tokens, admin, items, groups = seeded["tokens"], seeded["admin"], seeded["items"], seeded["groups"]
        proc = onetrip_worker(env)
        with server(env, workers=2) as base:
            async with session() as http:
                day1 = await open_day(http, base, items[0], admin, set())
                day2 = await open_day(http, base, items[1], admin, set())
                day3 = await open_day(http, base, items[2], admin, set())
                (slot1,) = await slot_ids(http, base, items[0], day1)
                slots2 = await slot_ids(http, base, items[1], day2)
                slots3 = await slot_ids(http, base, items[2], day3)
            await bare(base, 200)  # warm both processes' connections
            ref1 = await bare(base, S1)
            burst1 = await scenario_1(base, items[0], slot1, tokens[:S1])
            ref2 = await bare(base, S1)
            burst2 = await scenario_2(base, items[1], slots2, tokens[S1 : S1 + S2])
            async with session() as http:  # at least 30 s ahead: the citizens poll before it
                release = await set_release(http, base, admin, groups[2], day3)
            print(f"release at {release.isoformat()} (waiting for it while 5,000 citizens poll)")
            burst3, last = await scenario_3(base, items[2], day3, tokens[S1 + S2 :], release)
        booked = await counts(dsn)
    finally:
        stop(proc)
        await drop_pg_database(DB)

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (shared)")
    print(ref1.line(f"bare endpoint of the same server (GET /healthz, {S1} at once)"))
    ok &= report(f"1. rush: {S1} citizens, one slot of {PLACES}", burst1, ref1, [slot1], booked, None)
    print(ref2.line("bare endpoint again, before scenario 2"))
    ok &= report(
        f"2. {2 * S2} attempts ({S2} citizens twice, {S2_PHONES} at a time), 10 slots",
        burst2,
        ref2,
        slots2,
        booked,
        None,
    )
    ok &= report(f"3. release minute: {S3} citizens polling then booking", burst3, ref1, slots3, booked, last)
    print(f"  last place taken {last:.2f} s after opens_at")
    for label, ms in sorted(burst3.slow, key=lambda x: -x[1])[:10]:
        print(f"  slow: {label} {ms:.0f} ms")
    print("OK: every place given exactly once, no 5xx" if ok else "FAILED: see the figures above")

    lottery = ROOT / "bench" / "booking_lottery.py"
    if lottery.exists() and "--no-lottery" not in sys.argv:
        from bench import booking_lottery

        print("\n4. lottery (bench/booking_lottery.py)")
        ok &= await booking_lottery.main() == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(main()))
