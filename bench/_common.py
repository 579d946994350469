"""Shared benchmark helpers: a real server in a subprocess, a fresh database, a load generator."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(coro):
    """asyncio.run on uvloop when present: the load generator shares the two cores with the server
    under test, so every cycle it saves is a cycle the server gets."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def fresh_pg_database(name: str) -> str:
    """Drop and create a PostgreSQL database for one benchmark; returns its Tortoise URL."""
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"postgres://postgres@127.0.0.1:5432/{name}"


async def drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    var = tempfile.mkdtemp(prefix="onetrip-bench-")
    env = dict(os.environ)
    env.update(
        {
            "ONETRIP_ENV": "test",
            "ONETRIP_DATABASE_URL": database_url,
            "ONETRIP_VAR_DIR": var,
            "ONETRIP_STORAGE_DIR": f"{var}/uploads",
            "ONETRIP_LOG_JSON": "true",
        }
    )
    env.update(extra)
    return env


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    out = subprocess.run(
        [str(Path(PY).parent / "onetrip"), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            pids.append(int(child))
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))]

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.requests} requests in {self.seconds:.2f}s = {self.rps:.0f} req/s, "
            f"p50 {self.pct(50):.1f} ms, p99 {self.pct(99):.1f} ms, "
            f"mean {statistics.fmean(self.latencies_ms) if self.latencies_ms else 0:.1f} ms, "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )


async def load(
    make_request: Callable[[aiohttp.ClientSession, int], Awaitable[int]],
    *,
    total: int,
    concurrency: int,
) -> LoadResult:
    """Run ``total`` requests with ``concurrency`` connections; ``make_request`` returns the status."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            for i in counter:
                t0 = time.perf_counter()
                try:
                    status = await make_request(session, i)
                except aiohttp.ClientError:
                    status = 599
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return LoadResult(total, elapsed, latencies, statuses)


@contextlib.contextmanager
def server(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Start ``uvicorn`` with the real app on a free loopback port; yields its base URL.

    The server's stderr (one log line per request) goes to a temporary file, never an unread pipe:
    a full pipe blocks the server on its next log line."""
    port = free_port()
    app = ["citizen_api.app:asgi_app", "--factory", "--host", "127.0.0.1", "--port", str(port)]
    quiet = ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [PY, "-m", "uvicorn", *app, *quiet],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("server exited: " + log.read().decode()[-2000:])
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                time.sleep(0.1)
            server.pid = proc.pid  # type: ignore[attr-defined]
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


server_logging_to_file = server  # the earlier name, used by some benches


# -- processes a bench starts itself ------------------------------------------------------------------
def wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 20.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def onetrip_worker(env: dict[str, str]) -> subprocess.Popen:
    """``onetrip worker`` (the arq worker of the production layout), its output discarded."""
    log = open(os.devnull, "wb")  # noqa: SIM115 — closed with the process
    return subprocess.Popen(
        [str(Path(PY).parent / "onetrip"), "worker"], env=env, cwd=ROOT, stdout=log, stderr=log
    )


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- what every case bench seeds first ----------------------------------------------------------------
async def seed_items_and_citizens(departments, citizens: int) -> tuple[dict[str, tuple[int, int]], list[int]]:
    """One published item per department (``(code, name, share)`` rows) and ``citizens`` citizens, with
    Tortoise (the database is open): ``({code: (item_id, version_id)}, citizen ids in order)``."""
    from citizen_api import clock
    from citizen_api.catalog.models import Department, ItemVersion, ServiceItem
    from citizen_api.users.models import User

    items = {}
    for code, name, _share in departments:
        department = await Department.create(code=code, name=name)
        item = await ServiceItem.create(
            code=f"{code}-ITEM-1", basic_code="000000000001", department=department,
            name=f"{name}许可证核发", is_published=True, promised_days=20, statutory_days=20,
        )  # fmt: skip
        version = await ItemVersion.create(
            item=item, version=1, status="published", name=item.name, item_type="行政许可",
            statutory_days=20, promised_days=20, visits=0, online=True, published_at=clock.now(),
        )  # fmt: skip
        items[code] = (item.id, version.id)
    await User.bulk_create([User(role="citizen", openid=f"bench-{i}") for i in range(citizens)])
    ids = list(await User.filter(role="citizen").order_by("id").values_list("id", flat=True))
    return items, ids
