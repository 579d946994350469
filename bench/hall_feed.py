"""Hall TVs: 50 SSE connections to one hall's stream, a clerk calls numbers through the API, and the
time from each call-next request to the moment ALL 50 TVs have its event (goal: within 2 s).

Run twice against the real server (``uvicorn``): with Redis and two API processes (the TVs and
the calls land on either process; the call crosses Redis), and without Redis in one process (the
in-process broker). Prints p50 / max over the calls.

    .venv/bin/python -m bench.hall_feed            # both modes
    .venv/bin/python -m bench.hall_feed memory     # one of them
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

import aiohttp

from bench._common import bench_env, drop_pg_database, fresh_pg_database, run, run_cli, server

DB = "onetrip_bench_hall"
JWT_SECRET = "bench-hall-jwt-secret-0123456789-abcdef"
REDIS_URL = "redis://127.0.0.1:6379/13"  # the broker keeps no keys: its channels are named by database
TVS = 50
CALLS = 24
GOAL_SECONDS = 2.0
GROUP = "SMZX-GA"


async def setup(url: str) -> str:
    """A hall with one window group and a window clerk; returns the clerk's token."""
    from citizen_api.appointments.models import Office, Window, WindowGroup
    from citizen_api.db import close_db, init_db
    from citizen_api.domains import MODEL_MODULES
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.settings import Settings
    from citizen_api.users.models import User

    settings = Settings(database_url=url, jwt_secret=JWT_SECRET, access_token_ttl_seconds=3600)
    await init_db(url, MODEL_MODULES, max_pool=5)
    try:
        office = await Office.create(code="SMZX", name="市民中心 政务服务大厅")
        group = await WindowGroup.create(
            office=office, code=GROUP, name="户政窗口", prefix="A", department_code="GA"
        )
        await Window.create(group=group, number="1")
        clerk = await User.create(role="window", username="bench-clerk", department_code="GA")
        return issue_access_token(Principal(clerk.id, "window", "GA"), settings)
    finally:
        await close_db()


class Tv:
    """One hall TV: records when each called number arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.ready = asyncio.Event()
        self.changed = asyncio.Event()

    async def watch(self, session: aiohttp.ClientSession, base: str) -> None:
        async with session.get(f"{base}/api/v1/hall/SMZX/stream") as resp:
            assert resp.status == 200, resp.status
            event = None
            async for raw in resp.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("retry:"):
                    self.ready.set()
                elif line.startswith("event: "):
                    event = line[len("event: ") :]
                elif line.startswith("data: ") and event == "called":
                    self.arrived[json.loads(line[len("data: ") :])["number"]] = time.perf_counter()
                    self.changed.set()


async def wait_for_all(tvs: list[Tv], number: str, within: float) -> float | None:
    deadline = time.perf_counter() + within
    for tv in tvs:
        while number not in tv.arrived:
            tv.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            try:
                await asyncio.wait_for(tv.changed.wait(), left)
            except TimeoutError:
                return None
    return max(tv.arrived[number] for tv in tvs)


async def measure(base: str, token: str) -> tuple[list[float], int]:
    """Seconds from each call-next request to the last of the TVs receiving it; calls missed."""
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=TVS + 10, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tvs = [Tv() for _ in range(TVS)]
        watchers = [asyncio.create_task(tv.watch(session, base)) for tv in tvs]
        await asyncio.wait_for(asyncio.gather(*(tv.ready.wait() for tv in tvs)), 30)
        async with aiohttp.ClientSession() as clerk:
            delays, missed = [], 0
            for _ in range(CALLS):
                async with clerk.post(
                    f"{base}/api/v1/staff/queue/walk-in", json={"group": GROUP}, headers=headers
                ) as resp:
                    assert resp.status == 201, await resp.text()
                started = time.perf_counter()
                async with clerk.post(
                    f"{base}/api/v1/staff/queue/call-next",
                    json={"group": GROUP, "window": "1"},
                    headers=headers,
                ) as resp:
                    assert resp.status == 200, await resp.text()
                    number = (await resp.json())["number"]
                last = await wait_for_all(tvs, number, within=10)
                if last is None:
                    missed += 1
                else:
                    delays.append(last - started)
                await asyncio.sleep(0.2)  # a clerk does not call five numbers a second
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
    return delays, missed


async def one_mode(mode: str) -> bool:
    url = await fresh_pg_database(DB)
    extra = {"ONETRIP_JWT_SECRET": JWT_SECRET, "ONETRIP_LOG_JSON": "true"}
    if mode == "redis":
        extra["ONETRIP_REDIS_URL"] = REDIS_URL
    env = bench_env(url, **extra)
    workers = 2 if mode == "redis" else 1
    try:
        run_cli(env, "migrate")
        token = await setup(url)
        with server(env, workers=workers) as base:
            delays, missed = await measure(base, token)
    finally:
        await drop_pg_database(DB)
    label = f"{mode}: {TVS} TVs, {workers} API process{'es' if workers > 1 else ''}, {CALLS} calls"
    if not delays:
        print(f"{label}: no call reached every TV")
        return False
    ms = sorted(d * 1000 for d in delays)
    print(
        f"{label}: call-next → all {TVS} TVs: p50 {statistics.median(ms):.0f} ms, "
        f"p90 {ms[round(0.9 * (len(ms) - 1))]:.0f} ms, max {ms[-1]:.0f} ms; missed {missed}"
    )
    return missed == 0 and ms[-1] <= GOAL_SECONDS * 1000


async def main() -> int:
    modes = sys.argv[1:] or ["redis", "memory"]
    results = [await one_mode(mode) for mode in modes]
    ok = all(results)
    print(
        f"OK: every call on all {TVS} TVs within {GOAL_SECONDS:g} s"
        if ok
        else "FAILED: see the figures above"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(main()))
