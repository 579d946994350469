"""Notification fan-out: 10,000 status changes on PostgreSQL, one ``onetrip worker`` (arq on a
private Redis) sending them to the WeChat simulator (its own process).

Phases (each 10,000 rows, each row with its own case number, so the simulator's record tells
which row every message belongs to):
1. worker: messages/s from the first write to the last row marked ``sent``;
2. the same with the worker killed with SIGKILL twice mid-run and restarted each time (and how
   long the rows in flight at each kill took to be sent by the next worker: their lease);
3. the in-process dispatcher (no Redis) in this process, for comparison;
4. phase 2 again with the citizens reached by official-account template messages instead
   (followers, no subscribe grant): WeChat drops a repeat by its ``client_msg_id``.

Every phase counts lost messages (rows not ``sent``, or numbers the simulator never received) and
duplicates (a number received more than once). Exits 1 if any phase lost or duplicated one.

Rows are written like a status change writes them (``outbox.enqueue`` in the change's
transaction, then the API's after-commit kick: ``arq_queue.enqueue_due`` onto the arq queue);
in phases 1-3 citizens hold subscribe grants, so every row goes out as a subscribe message.
Try it small with ``BENCH_NOTIFY_CHANGES=2000``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    PY,
    ROOT,
    bench_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    run_cli,
    stop,
    wait_port,
)

DB = "onetrip_bench_notify"
CHANGES = int(os.environ.get("BENCH_NOTIFY_CHANGES", "10000"))  # smaller for a quick try
CITIZENS = max(1, min(1_000, CHANGES // 10))
BATCH = 50  # status changes per transaction
WRITERS = 4  # concurrent writers, like several API requests at once
TEMPLATE = "dev-mp-case-progress"
# short enough that a killed worker's rows come back within the run (production: 60 s / 30 s)
LEASE_SECONDS = 10
JOB_TIMEOUT_SECONDS = 5
KILL_AT = (0.3, 0.6)  # SIGKILL the worker when this share of the phase's rows is sent
PHASE_TIMEOUT = 300.0


# -- processes ----------------------------------------------------------------------------------------
class Worker:
    """``onetrip worker`` as a subprocess, its log in a file (one line per message)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        fd, self.log = tempfile.mkstemp(prefix="onetrip-bench-worker-", suffix=".log")
        os.close(fd)
        self.proc: subprocess.Popen | None = None

    def _spawn(self) -> int:
        offset = os.path.getsize(self.log)
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [str(Path(PY).parent / "onetrip"), "worker"], env=self.env, cwd=ROOT, stdout=log, stderr=log
            )
        return offset

    def _ready(self, offset: int) -> bool:
        text = Path(self.log).read_bytes()[offset:]
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError("worker exited: " + text.decode(errors="replace")[-2000:])
        return b"worker started" in text

    async def start(self) -> None:
        offset = self._spawn()
        deadline = time.time() + 30
        while not self._ready(offset):
            if time.time() > deadline:
                raise RuntimeError("worker did not start within 30 s")
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def close(self) -> None:
        stop(self.proc)
        os.unlink(self.log)


def start_services(redis_port: int, sim_port: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    """A private Redis (never the shared one on 6379) and the WeChat simulator, on free ports."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    redis_args = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), *redis_args], **quiet)
    sim = subprocess.Popen([PY, "-m", "infra.simulators.wechat", "--port", str(sim_port)], cwd=ROOT, **quiet)
    try:
        wait_port(redis_port, redis, "redis-server")
        wait_port(sim_port, sim, "WeChat simulator")
    except RuntimeError:
        stop(sim)
        stop(redis)
        raise
    return redis, sim


# -- data -----------------------------------------------------------------------------------------------
async def setup_citizens(url: str) -> list[int]:
    """1,000 citizens who each granted enough one-time subscriptions for every phase."""
    from citizen_api.users.models import User
    from notifications.models import SubscribeGrant

    await User.bulk_create([User(role="citizen", openid=f"bench-notify-{i}") for i in range(CITIZENS)])
    ids = list(await User.filter(role="citizen").order_by("id").values_list("id", flat=True))
    grants = 3 * CHANGES // CITIZENS + 1
    # what POST /me/subscriptions records, done in one statement instead of 30,000 requests
    await SubscribeGrant.bulk_create(
        [
            SubscribeGrant(user_id=uid, template_id=TEMPLATE, available=grants, accepted_total=grants)
            for uid in ids
        ]
    )
    return ids


async def write_changes(prefix: str, citizens: list[int], kick) -> None:
    """10,000 status changes: each writes its outbox row in its transaction; kick after commit."""
    from citizen_api.db import atomic
    from notifications import outbox

    batches = iter(range(0, CHANGES, BATCH))

    async def writer() -> None:
        for start in batches:
            async with atomic():
                for i in range(start, min(CHANGES, start + BATCH)):
                    payload = {"number": f"{prefix}{i:05d}", "item_name": "居民身份证换领", "note": "已受理"}
                    await outbox.enqueue(citizens[i % len(citizens)], "case.accepted", payload)
            await kick()

    await asyncio.gather(*(writer() for _ in range(WRITERS)))


async def counts(conn: asyncpg.Connection, prefix: str) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM notifications WHERE payload->>'number' LIKE $1 GROUP BY status",
        prefix + "%",
    )
    return {r["status"]: r["n"] for r in rows}


async def wait_sent(conn, prefix: str, target: int, started: float) -> float:
    """Seconds from ``started`` until ``target`` rows of the phase are sent (or settled otherwise)."""
    while True:
        c = await counts(conn, prefix)
        if c.get("sent", 0) >= target or sum(c.get(s, 0) for s in ("sent", "dead", "skipped")) >= CHANGES:
            return time.perf_counter() - started
        if time.perf_counter() - started > PHASE_TIMEOUT:
            print(f"  timed out waiting: {c}")
            return time.perf_counter() - started
        await asyncio.sleep(0.05)


async def in_flight_ids(conn, prefix: str) -> list[int]:
    rows = await conn.fetch(
        "SELECT id FROM notifications WHERE payload->>'number' LIKE $1 AND status = 'sending'", prefix + "%"
    )
    return [r["id"] for r in rows]


async def wait_settled(env: dict[str, str], ids: list[int], since: float) -> str:
    """How long after ``since`` (a SIGKILL) the rows in flight then were taken over and settled."""
    conn = await asyncpg.connect(env["ONETRIP_DATABASE_URL"].replace("postgres://", "postgresql://"))
    try:
        unsettled = "SELECT count(*) FROM notifications WHERE id = ANY($1) AND status = 'sending'"
        while await conn.fetchval(unsettled, ids):
            if time.perf_counter() - since > PHASE_TIMEOUT:
                return f"  timed out waiting for the {len(ids)} rows in flight at a kill"
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    return (
        f"  the {len(ids)} rows in flight at a kill settled {time.perf_counter() - since:.1f}s after it "
        f"(their lease is {LEASE_SECONDS}s; arq's default in-progress mark would hold them 5 minutes)"
    )


async def verify(conn, sim: str, prefix: str) -> tuple[int, int, dict]:
    """(lost, duplicates, row statuses): lost = not sent or never received; dup = received twice."""
    async with aiohttp.ClientSession() as http, http.get(f"{sim}/_sim/messages") as resp:
        messages = await resp.json()
    received = Counter(
        m["data"]["character_string1"]["value"]
        for m in messages
        if m.get("kind") in ("subscribe", "template")
        and m["data"]["character_string1"]["value"].startswith(prefix)
    )
    status = await counts(conn, prefix)
    expected = {f"{prefix}{i:05d}" for i in range(CHANGES)}
    not_received = len(expected - set(received))
    lost = max(CHANGES - status.get("sent", 0), not_received)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    return lost, duplicates, status


async def resent(conn, prefix: str) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE payload->>'number' LIKE $1 AND attempts > 1", prefix + "%"
    )


async def suppressed(sim: str) -> int:
    """Template-message repeats WeChat dropped by their client_msg_id."""
    async with aiohttp.ClientSession() as http, http.get(f"{sim}/_sim/stats") as resp:
        return (await resp.json())["suppressed"]


async def switch_to_official_account(citizens: list[int]) -> None:
    """The citizens follow the official account (linked by unionid) and hold no subscribe grant:
    their messages go out as template messages, which carry ``client_msg_id``."""
    from citizen_api.users.models import Follower, User
    from notifications.models import SubscribeGrant

    await SubscribeGrant.filter(user_id__in=citizens).update(available=0)
    for uid in citizens:
        await User.filter(id=uid).update(unionid=f"bench-union-{uid}")
    followers = [Follower(oa_openid=f"bench-oa-{uid}", unionid=f"bench-union-{uid}") for uid in citizens]
    await Follower.bulk_create(followers)


# -- phases ----------------------------------------------------------------------------------------------
async def worker_phase(
    env, conn, sim, citizens, prefix: str, kills: tuple[float, ...], channel: str = ""
) -> tuple[int, int]:
    from arq.connections import RedisSettings, create_pool

    from notifications.arq_queue import enqueue_due

    worker = Worker(env)
    arq = await create_pool(RedisSettings.from_dsn(env["ONETRIP_REDIS_URL"]))
    queue = env.get("ONETRIP_NOTIFY_QUEUE_NAME", "onetrip:notify")
    try:
        await worker.start()
        started = time.perf_counter()
        recoveries: list[asyncio.Task[str]] = []

        async def kick() -> None:  # what the API's QueueDispatcher does after a commit
            await enqueue_due(arq, queue)

        writing = asyncio.create_task(write_changes(prefix, citizens, kick))
        for share in kills:
            await wait_sent(conn, prefix, int(CHANGES * share), started)
            worker.kill()
            c = await counts(conn, prefix)
            print(
                f"  SIGKILL at {time.perf_counter() - started:.1f}s: sent {c.get('sent', 0)}, "
                f"sending (in flight) {c.get('sending', 0)}; restarting"
            )
            in_flight = await in_flight_ids(conn, prefix)
            # watched on its own connection, so that the next kill comes when it would anyway
            recoveries.append(asyncio.create_task(wait_settled(env, in_flight, time.perf_counter())))
            await worker.start()
        await writing
        written = time.perf_counter() - started
        elapsed = await wait_sent(conn, prefix, CHANGES, started)
        for line in await asyncio.gather(*recoveries):
            print(line)
    finally:
        worker.close()
        await arq.aclose()
    lost, duplicates, status = await verify(conn, sim, prefix)
    label = f"worker, 2× SIGKILL{channel}" if kills else "worker"
    dropped = f", repeats WeChat dropped by client_msg_id: {await suppressed(sim)}" if channel else ""
    print(
        f"{label}: {CHANGES} messages in {elapsed:.1f}s = {CHANGES / elapsed:.0f} messages/s "
        f"(writes done after {written:.1f}s); rows {status}; re-sent after a crash: "
        f"{await resent(conn, prefix)}{dropped}; lost {lost}, duplicates {duplicates}"
    )
    return lost, duplicates


async def in_process_phase(url, sim, conn, citizens, prefix: str) -> tuple[int, int]:
    from citizen_api.settings import Settings
    from citizen_api.state import AppState
    from citizen_api.wechat.gateway import WeChatGateway
    from notifications.dispatcher import Runtime
    from notifications.in_process import InProcessDispatcher

    settings = Settings(env="test", database_url=url, wechat_api_base=sim)
    async with aiohttp.ClientSession() as http:
        state = AppState(settings=settings, http=http, wechat=WeChatGateway(http, settings))
        dispatcher = InProcessDispatcher(Runtime.for_state(state))
        dispatcher.start()
        started = time.perf_counter()

        async def kick() -> None:
            dispatcher.kick()

        try:
            await write_changes(prefix, citizens, kick)
            written = time.perf_counter() - started
            elapsed = await wait_sent(conn, prefix, CHANGES, started)
        finally:
            await dispatcher.stop()
    lost, duplicates, status = await verify(conn, sim, prefix)
    print(
        f"in-process dispatcher (no Redis, same process as the writers): {CHANGES} messages in "
        f"{elapsed:.1f}s = {CHANGES / elapsed:.0f} messages/s (writes done after {written:.1f}s); "
        f"rows {status}; lost {lost}, duplicates {duplicates}"
    )
    return lost, duplicates


WINDOW_NOTE = """\
What exactly-once means here: a row is claimed (status sending, attempt id, lease) before the
WeChat call, its grant spent and held in one transaction, and marked sent right after; a killed
worker's rows are sent again once their lease runs out (arq's in-progress mark is kept shorter
than the lease), so nothing is lost. The one window left is between WeChat accepting a message
and the mark committing (one response plus one UPDATE): a SIGKILL inside it repeats that
message. Subscribe messages carry no idempotency key, so there the repeat reaches the citizen
(expected repeats per kill = messages/s x that window, a few ms); template messages carry
client_msg_id = onetrip-<row id>, and WeChat drops the repeat (phase 4). Rows claimed but not
yet called when the kill lands were never received: re-sending them is no repeat."""


async def main() -> int:
    from citizen_api.db import close_db, init_db
    from citizen_api.domains import MODEL_MODULES
    from citizen_api.logging_setup import configure_logging

    configure_logging(json_logs=True, level="WARNING")  # the in-process phase logs every message

    url = await fresh_pg_database(DB)
    redis_port, sim_port = free_port(), free_port()
    redis, sim_proc = start_services(redis_port, sim_port)
    sim = f"http://127.0.0.1:{sim_port}"
    env = bench_env(
        url,
        ONETRIP_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        ONETRIP_WECHAT_API_BASE=sim,
        ONETRIP_NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
        ONETRIP_NOTIFY_JOB_TIMEOUT_SECONDS=str(JOB_TIMEOUT_SECONDS),
        ONETRIP_NOTIFY_POLL_SECONDS="0.5",
    )
    failed = False
    try:
        run_cli(env, "migrate")
        await init_db(url, MODEL_MODULES, max_pool=10)
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
        try:
            citizens = await setup_citizens(url)
            print(f"{CHANGES} status changes per phase, {CITIZENS} citizens, PostgreSQL, WeChat simulator")
            for prefix, kills in (("W1-", ()), ("K2-", KILL_AT)):
                lost, dup = await worker_phase(env, conn, sim, citizens, prefix, kills)
                failed |= lost > 0 or dup > 0
            lost, dup = await in_process_phase(url, sim, conn, citizens, "P3-")
            failed |= lost > 0 or dup > 0
            await switch_to_official_account(citizens)
            lost, dup = await worker_phase(env, conn, sim, citizens, "T4-", KILL_AT, " (template messages)")
            failed |= lost > 0 or dup > 0
        finally:
            await conn.close()
            await close_db()
    finally:
        stop(sim_proc)
        stop(redis)
        await drop_pg_database(DB)
    print(WINDOW_NOTE)
    print("FAILED: a message was lost or sent twice" if failed else "OK: 0 lost, 0 duplicates in every phase")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
