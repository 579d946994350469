"""Drill 5 — PostgreSQL restarted during load; OneTrip recovers without being restarted.

The stack of bench/load.py on a PRIVATE PostgreSQL cluster (the shared server is never touched):
under a steady citizen mix the cluster is stopped (``pg_ctl stop -m fast``: every session is
ended, as in a restart or failover), kept down ``DRILL_PG_DOWN_SECONDS`` (5), and started again.

Goals (exit 1 otherwise): before the stop every answer is as expected; while the database is away
the only other answer is 503 ``DB_UNAVAILABLE`` (never a 500, never a hang); after it is back
every answer is as expected again, from the same API processes (same pid, never restarted);
the outbox rows written before and after are all sent in the end.
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

DOWN = float(os.environ.get("DRILL_PG_DOWN_SECONDS", "5"))
BEFORE = float(os.environ.get("DRILL_BEFORE_SECONDS", "10"))
AFTER = float(os.environ.get("DRILL_AFTER_SECONDS", "15"))
RATE = float(os.environ.get("DRILL_RATE", "40"))
SETTLE = float(os.environ.get("DRILL_SETTLE_SECONDS", "120"))
FAST_LEASES = {"ONETRIP_NOTIFY_LEASE_SECONDS": "15", "ONETRIP_NOTIFY_JOB_TIMEOUT_SECONDS": "10"}


async def restart(stack: Stack, faults: Faults) -> None:
    assert stack.private_pg is not None
    await asyncio.sleep(BEFORE)
    faults.began = time.monotonic()
    await asyncio.to_thread(stack.private_pg.stop, "fast")
    print(f"  PostgreSQL stopped at +{BEFORE:.0f}s", flush=True)
    await asyncio.sleep(DOWN)
    await asyncio.to_thread(stack.private_pg.start)
    faults.ended = time.monotonic()
    print(f"  PostgreSQL started again, {faults.ended - faults.began:.1f}s after the stop", flush=True)


async def main() -> int:
    seconds = BEFORE + DOWN + AFTER
    needs = planned(RATE, seconds)
    print(f"PostgreSQL restart drill: {RATE:.0f} req/s for {seconds:.0f}s, database down {DOWN:.0f}s")
    async with Stack("pg_drill", api_workers=2, private_pg=True, **FAST_LEASES) as stack:
        mix = await prepare(stack, bookings=needs["booking"], submissions=needs["submission"], grants=True)
        api_pid = stack.api.proc.pid if stack.api else 0
        faults = Faults()
        run, _ = await asyncio.gather(paced(mix, rate=RATE, seconds=seconds), restart(stack, faults))
        table = run.table(faults)
        failed = print_phases(table, EXPECTED)
        during = Counter()
        for op, statuses in table.get("outage", {}).items():
            during.update({s: n for s, n in statuses.items() if s != EXPECTED[op]})
        not_503 = sum(n for s, n in during.items() if s != 503)
        api_same = bool(stack.api and stack.api.alive() and stack.api.proc.pid == api_pid)
        recovered_after = _first_success_after(run.records, faults.ended)

        conn = await asyncpg.connect(stack.dsn())
        try:

            async def all_sent() -> bool:
                rows = await conn.fetch("SELECT status, count(*) AS n FROM notifications GROUP BY status")
                return {r["status"] for r in rows} <= {"sent"}

            settled = await wait_for(all_sent, SETTLE)
            outbox = {r["status"]: r["n"] for r in await conn.fetch(
                "SELECT status, count(*) AS n FROM notifications GROUP BY status")}  # fmt: skip
        finally:
            await conn.close()
        logged = stack.server_errors_logged()
        print(f"  during the outage, answers other than expected: {dict(during)} (503 only: {not_503 == 0})")
        print(
            f"  first good answer {recovered_after:.2f}s after the database was back; "
            f"API not restarted: {api_same}"
        )
        print(
            f"  outbox {outbox}, all sent: {settled}; worker restarts: {stack.worker_restarts}; "
            f"500s logged: {logged}"
        )
        ok = (
            failed["before"] == 0
            and failed["after"] == 0
            and not_503 == 0
            and api_same
            and settled
            and not logged
        )
        stack.keep_logs |= not ok
    print(
        f"RESULT PostgreSQL down {DOWN:.0f}s: before {failed['before']} failed, during {failed['outage']} "
        f"answered 503 ({not_503} other), after {failed['after']} failed; recovered without restart: "
        f"{api_same} → {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


def _first_success_after(records, moment: float) -> float:
    later = sorted((r for r in records if r.end >= moment and r.status < 500), key=lambda r: r.end)
    return later[0].end - moment if later else float("inf")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
