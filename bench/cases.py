"""Staff case list under load: 100,000 cases in PostgreSQL, the real server (one process).

Cases are spread over eight departments (公安 the largest), every status and every warning
(deadlines around today, so red, yellow and calm cases all exist). A window clerk of 公安
(scoped to the department) and a supervisor (every department) page through
``GET /api/v1/staff/applications?status=…&warning=…&page=…`` with mixed filters, 4 requests in
flight (the goal is judged here), then 16 (what one process serves at most). Prints p50/p99 and
req/s, per kind of filter, then the ceiling: the list's two SQL statements (count + page) straight
through asyncpg. Goal: p99 ≤ 50 ms. Exits 1 on any non-200 answer
or a page that does not match its filters (correctness); the latency goal is reported, not
enforced, because the machine may be shared.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
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
    seed_items_and_citizens,
    server_logging_to_file,
)
from citizen_api import clock

DB = "onetrip_bench_cases"
CASES = 100_000
CITIZENS = 5_000
REQUESTS = 2_000
# the goal is judged at a busy hall's load: 4 lists in flight at any moment (hundreds of clerks
# paging every few seconds); a second run at 16 measures what one process can serve at most
CONCURRENCY = 4
SATURATION = 16
GOAL_P99_MS = 50.0
JWT_SECRET = "bench-cases-jwt-secret-0123456789-abcdef"
DATA_KEY = "YmVuY2gtY2FzZXMtZGF0YS1rZXktMzItYnl0ZXMhISE="  # the list decrypts each applicant's name
# (code, name, share of the cases)
DEPARTMENTS = [
    ("GA", "公安局", 0.30),
    ("RS", "人社局", 0.20),
    ("SC", "市场监管局", 0.15),
    ("ZJ", "住建局", 0.10),
    ("MZ", "民政局", 0.08),
    ("WJ", "卫健委", 0.07),
    ("JY", "教育局", 0.05),
    ("SW", "税务局", 0.05),
]
# most cases in a hall's database are finished; the running ones are what clerks page through
STATUSES = [
    ("delivered", 0.46),
    ("approved", 0.06),
    ("rejected", 0.03),
    ("accepted", 0.22),
    ("suspended", 0.02),
    ("submitted", 0.08),
    ("supplement_required", 0.04),
    ("not_accepted", 0.04),
    ("withdrawn", 0.05),
]
RUNNING = ("accepted", "suspended")
COLUMNS = [
    "number", "applicant_id", "item_id", "item_version_id", "department_code", "status", "item_code",
    "item_name", "promised_days", "time_unit", "item_trips", "channel", "applicant_name_enc",
    "applicant_id_number_enc", "applicant_phone_enc", "phone_tail_index", "tolerate_missing", "missing",
    "total_upload_bytes", "accepted_on", "deadline", "yellow_on", "calendar_uncertain", "suspended_on",
    "suspended_days", "warning", "submitted_at", "decided_at", "decision_note", "on_time",
    "working_days_used", "finished_at", "updated_at", "missing_due_uncertain", "missing_reminded",
    "applicant_name_index", "phone_tail_search",
]  # fmt: skip


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _warning(today: date, deadline: date, yellow_on: date) -> str:
    if deadline < today:
        return "red"
    return "yellow" if yellow_on <= today else "none"


def _sealed_name() -> str:
    from citizen_api.security.crypto import DataCipher

    return DataCipher(DATA_KEY).encrypt("张三丰")


def case_rows(items: dict[str, tuple[int, int]], citizens: list[int], today: date) -> list[tuple]:
    """100,000 plausible cases: numbers per department and day, clocks around ``today``."""
    rng = random.Random(20261001)
    sequence: dict[tuple[str, date], int] = defaultdict(int)
    blob = "x" * 96  # the encrypted personal data columns, at a realistic width
    sealed_name = _sealed_name()  # the one the list decrypts (to mask it): a real ciphertext
    rows = []
    for _ in range(CASES):
        code, name, _share = _pick(rng, DEPARTMENTS)
        status = _pick(rng, STATUSES)[0]
        item_id, version_id = items[code]
        submitted = today - timedelta(days=rng.randint(0, 720))
        sequence[(code, submitted)] += 1
        number = f"{code}{submitted:%Y%m%d}{sequence[(code, submitted)]:06d}"
        at = datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=clock.CST) + timedelta(
            minutes=rng.randint(0, 480)
        )
        accepted_on = deadline = yellow_on = suspended_on = decided_at = finished_at = on_time = None
        warning, uncertain, used = "none", False, None
        if status not in ("submitted", "supplement_required", "not_accepted", "withdrawn"):
            promised = rng.choice((5, 10, 15, 20))
            if status in RUNNING:  # running: accepted lately, deadlines on both sides of today
                accepted_on = today - timedelta(days=rng.randint(0, 30))
            else:
                accepted_on = submitted + timedelta(days=rng.randint(0, 2))
            deadline = accepted_on + timedelta(days=promised * 7 // 5)
            yellow_on = deadline - timedelta(days=max(1, promised // 5))
            warning = _warning(today, deadline, yellow_on)
            uncertain = status in RUNNING and rng.random() < 0.01
            if status == "suspended":
                suspended_on = today - timedelta(days=rng.randint(0, 10))
            if status not in RUNNING:
                decided_at = at + timedelta(days=promised)
                on_time = rng.random() < 0.93
                used = rng.randint(1, promised)
        if status in ("delivered", "not_accepted", "withdrawn"):
            finished_at = at + timedelta(days=rng.randint(1, 25))
        rows.append(
            (
                number, rng.choice(citizens), item_id, version_id, code, status, f"{code}-ITEM-1",
                f"{name}许可证核发", 20, "working_day", rng.choice((0, 1)), rng.choice(("online", "window")),
                sealed_name, blob, blob, blob[:64], False, "[]", rng.randint(10_000, 5_000_000), accepted_on,
                deadline, yellow_on, uncertain, suspended_on, 0, warning, at, decided_at, "", on_time, used,
                finished_at, at, False, False, "", "",
            )
        )  # fmt: skip
    return rows


async def setup(url: str) -> dict[str, str]:
    """Departments, items, citizens and two staff members with Tortoise; the cases with COPY."""
    from citizen_api import clock
    from citizen_api.db import close_db, init_db
    from citizen_api.domains import MODEL_MODULES
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.settings import Settings
    from citizen_api.users.models import User

    settings = Settings(
        database_url=url, jwt_secret=JWT_SECRET, data_key=DATA_KEY, access_token_ttl_seconds=3600
    )
    await init_db(url, MODEL_MODULES, max_pool=5)
    try:
        items, citizens = await seed_items_and_citizens(DEPARTMENTS, CITIZENS)
        clerk = await User.create(role="window", username="bench-window", department_code="GA")
        boss = await User.create(role="supervisor", username="bench-supervisor")
        tokens = {
            "window": issue_access_token(Principal(clerk.id, "window", "GA"), settings),
            "supervisor": issue_access_token(Principal(boss.id, "supervisor"), settings),
        }
        today = clock.today()
    finally:
        await close_db()

    rows = case_rows(items, citizens, today)
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    try:
        started = time.perf_counter()
        await conn.copy_records_to_table("applications", records=rows, columns=COLUMNS)
        # a live database is vacuumed by autovacuum (PostgreSQL ≥ 13 also after inserts); without it
        # the visibility map is empty and no count can stay in an index
        await conn.execute("VACUUM ANALYZE applications")
        print(f"loaded {len(rows):,} cases with COPY in {time.perf_counter() - started:.1f}s")
    finally:
        await conn.close()
    return tokens


def scenarios() -> list[tuple[str, dict[str, str]]]:
    """(who, query) pairs a hall really asks: the running work of a desk, the red cards, all."""
    rng = random.Random(7)
    out = []
    for _ in range(REQUESTS):
        who = "window" if rng.random() < 0.7 else "supervisor"
        params = {"page": str(rng.choice((1, 1, 1, 2, 3, 5, 10))), "size": "20"}
        status = rng.choice((None, "accepted", "accepted", "submitted", "suspended", "delivered"))
        warning = rng.choice((None, None, "red", "yellow", "none"))
        if status:
            params["status"] = status
        if warning:
            params["warning"] = warning
        out.append((who, params))
    return out


def _matches(item: dict, params: dict[str, str]) -> bool:
    return ("status" not in params or item["status"] == params["status"]) and (
        "warning" not in params or item["warning"] == params["warning"]
    )


async def run_load(base: str, tokens: dict[str, str]):
    plan = scenarios()
    by_kind: dict[str, list[float]] = defaultdict(list)
    wrong: list[str] = []

    async def one(session: aiohttp.ClientSession, i: int) -> int:
        who, params = plan[i % len(plan)]
        headers = {"Authorization": f"Bearer {tokens[who]}"}
        started = time.perf_counter()
        async with session.get(f"{base}/api/v1/staff/applications", params=params, headers=headers) as resp:
            body = await resp.json(content_type=None)
        kind = f"{who:10} status={params.get('status', '*'):9} warning={params.get('warning', '*')}"
        by_kind[kind].append((time.perf_counter() - started) * 1000)
        if resp.status == 200:
            items = body["items"]
            bad = [c for c in items if not _matches(c, params)]
            if who == "window":
                bad += [c for c in items if c["department_code"] != "GA"]
            if bad or len(items) > 20:
                wrong.append(f"{who} {params}: {bad[:1]}")
        return resp.status

    await load(one, total=200, concurrency=CONCURRENCY)  # warm-up: connections, plans, caches
    by_kind.clear()
    result = await load(one, total=REQUESTS, concurrency=CONCURRENCY)
    kinds = {kind: list(values) for kind, values in by_kind.items()}
    saturated = await load(one, total=REQUESTS, concurrency=SATURATION)
    return result, saturated, kinds, wrong


async def raw_ceiling(url: str) -> tuple[float, float]:
    """The list's two statements (count, page) for the clerk's commonest query, without HTTP/ORM."""
    today = date.today()
    count = (
        "SELECT count(*) FROM applications WHERE department_code = $1 AND status = 'accepted' "
        "AND deadline < $2"
    )
    page = (
        "SELECT * FROM applications WHERE department_code = $1 AND status = 'accepted' "
        "AND deadline < $2 ORDER BY id DESC LIMIT 20 OFFSET 20"
    )
    pool = await asyncpg.create_pool(url.replace("postgres://", "postgresql://"), min_size=5, max_size=5)
    latencies: list[float] = []
    try:
        jobs = iter(range(1000))

        async def worker() -> None:
            for _ in jobs:
                started = time.perf_counter()
                async with pool.acquire() as conn:
                    await conn.fetchval(count, "GA", today)
                    await conn.fetch(page, "GA", today)
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(5)))
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
    latencies.sort()
    return 1000 / elapsed, latencies[int(0.99 * (len(latencies) - 1))]


def _pct(values: list[float], p: float) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))] if data else 0.0


async def main() -> int:
    url = await fresh_pg_database(DB)
    env = bench_env(url, ONETRIP_JWT_SECRET=JWT_SECRET, ONETRIP_DATA_KEY=DATA_KEY)
    try:
        run_cli(env, "migrate")
        tokens = await setup(url)
        with server_logging_to_file(env, workers=1) as base:
            result, saturated, by_kind, wrong = await run_load(base, tokens)
        raw_rps, raw_p99 = await raw_ceiling(url)
    finally:
        await drop_pg_database(DB)

    print(result.line(f"staff case list ({CASES:,} cases, 1 process, {CONCURRENCY} concurrent)"))
    print(saturated.line(f"  saturated ({SATURATION} concurrent)"))
    print(f"  slowest kinds of query at {CONCURRENCY} concurrent (p50 / p99 ms, n):")
    slowest = sorted(by_kind.items(), key=lambda kv: -_pct(kv[1], 99))[:8]
    for kind, values in slowest:
        print(f"    {kind}: {_pct(values, 50):.1f} / {_pct(values, 99):.1f}  ({len(values)})")
    print(f"raw asyncpg count + page (clerk, red, page 2): {raw_rps:.0f} lists/s, p99 {raw_p99:.1f} ms")
    non_200 = {s: n for r in (result, saturated) for s, n in r.statuses.items() if s != 200}
    p99 = result.pct(99)
    print(f"goal p99 <= {GOAL_P99_MS:.0f} ms: {'met' if p99 <= GOAL_P99_MS else 'NOT met'} ({p99:.1f} ms)")
    if non_200 or wrong:
        print(f"FAILED: non-200 answers {non_200}, pages not matching their filters: {wrong[:3]}")
        return 1
    print("OK: every answer 200, every page matches its filters and the clerk's department")
    return 0


if __name__ == "__main__":
    sys.exit(run(main()))
