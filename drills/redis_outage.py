"""Drill 3 — Redis stopped during load, then started again.

The stack of bench/load.py (2 API processes, 1 worker, PostgreSQL, a private Redis, the WeChat
simulator) under a steady citizen mix; Redis is killed (SIGKILL: its queue is lost, as in a crash
without persistence) for ``DRILL_OUTAGE_SECONDS`` (60), then started again on the same port.

Goals (exit 1 otherwise):
- 0 failed writes: every booking and submission answered 201, before, during and after;
- every notification row written is sent afterwards, and the WeChat simulator received each
  exactly once (case messages keyed by case number, booking messages by the citizen's openid,
  each booking being made by a different citizen).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drills._mix import EXPECTED, prepare
from drills._paced import Faults, paced, planned, print_phases, wait_for
from drills._stack import Stack

OUTAGE = float(os.environ.get("DRILL_OUTAGE_SECONDS", "60"))
BEFORE = float(os.environ.get("DRILL_BEFORE_SECONDS", "10"))
AFTER = float(os.environ.get("DRILL_AFTER_SECONDS", "15"))
RATE = float(os.environ.get("DRILL_RATE", "40"))  # requests/s
SETTLE = float(os.environ.get("DRILL_SETTLE_SECONDS", "180"))
# a crashed send's lease (production 60 s) is shortened so the drill need not wait a minute more
FAST_LEASES = {"ONETRIP_NOTIFY_LEASE_SECONDS": "15", "ONETRIP_NOTIFY_JOB_TIMEOUT_SECONDS": "10"}


async def outage(stack: Stack, faults: Faults) -> None:
    await asyncio.sleep(BEFORE)
    faults.began = time.monotonic()
    stack.redis.stop()
    print(f"  redis stopped at +{BEFORE:.0f}s", flush=True)
    await asyncio.sleep(OUTAGE)
    stack.redis.start()
    faults.ended = time.monotonic()
    print(f"  redis started again after {faults.ended - faults.began:.0f}s", flush=True)


async def notification_keys(conn: asyncpg.Connection) -> tuple[Counter, Counter, int]:
    rows = await conn.fetch(
        """SELECT n.status, n.event, n.payload->>'number' AS number, u.openid
           FROM notifications n JOIN users u ON u.id = n.user_id"""
    )
    statuses = Counter(r["status"] for r in rows)
    keys = Counter(r["number"] if r["event"].startswith("case.") else r["openid"] for r in rows)
    return statuses, keys, len(rows)


def received_keys(messages: list[dict]) -> Counter:
    keys: Counter = Counter()
    for m in messages:
        if m.get("template_id") == "dev-mp-case-progress":
            keys[m["data"]["character_string1"]["value"]] += 1
        else:
            keys[m.get("touser", "?")] += 1
    return keys


async def main() -> int:
    seconds = BEFORE + OUTAGE + AFTER
    needs = planned(RATE, seconds)
    print(f"redis outage drill: {RATE:.0f} req/s for {seconds:.0f}s, Redis down {OUTAGE:.0f}s")
    print(f"  mix {dict(needs)}")
    async with Stack("redis_drill", api_workers=2, **FAST_LEASES) as stack:
        mix = await prepare(stack, bookings=needs["booking"], submissions=needs["submission"], grants=True)
        faults = Faults()
        run, _ = await asyncio.gather(paced(mix, rate=RATE, seconds=seconds), outage(stack, faults))
        failed = print_phases(run.table(faults), EXPECTED)
        writes = [r for r in run.records if r.op in ("booking", "submission")]
        failed_writes = sum(1 for r in writes if r.status != 201)
        print(f"  writes: {len(writes)} (bookings and submissions), failed {failed_writes}")

        conn = await asyncpg.connect(stack.dsn())
        try:

            async def settled() -> bool:
                statuses, _, total = await notification_keys(conn)
                return statuses.get("sent", 0) == total

            t0 = time.monotonic()
            done = await wait_for(settled, SETTLE)
            statuses, expected_keys, rows = await notification_keys(conn)
        finally:
            await conn.close()
        waited = time.monotonic() - t0
        print(f"  outbox: {rows} rows, {dict(statuses)}; all sent: {done} ({waited:.0f}s after the load)")
        await asyncio.sleep(1)  # a message accepted just now but not yet recorded
        received = received_keys(await stack.sim_messages())
        lost = sum(1 for key in expected_keys if received[key] == 0)
        duplicated = sum(received[key] - 1 for key in expected_keys if received[key] > 1)
        unexpected = sum(n for key, n in received.items() if key not in expected_keys)
        print(f"  WeChat simulator: {sum(received.values())} messages; lost {lost}, twice {duplicated}, "
              f"unknown {unexpected}")  # fmt: skip
        logged = stack.server_errors_logged()
        print(f"  worker restarts (supervisor): {stack.worker_restarts}; API server errors logged: {logged}")
        ok = failed_writes == 0 and done and lost == 0 and duplicated == 0 and unexpected == 0 and not logged
        stack.keep_logs |= not ok
    print(
        f"RESULT redis outage {OUTAGE:.0f}s: failed writes {failed_writes}, not-as-expected answers "
        f"{failed}, notifications {rows} rows: lost {lost}, duplicated {duplicated}, "
        f"worker restarts {stack.worker_restarts} → {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
