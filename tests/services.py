"""Finding the real PostgreSQL and Redis this machine runs (CI must have them; locally they may skip)."""

from __future__ import annotations

import fcntl
import functools
import os
import socket
import tempfile
from pathlib import Path

import pytest

PG_HOST = os.environ.get("ONETRIP_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ONETRIP_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("ONETRIP_TEST_PG_USER", "postgres")
REDIS_HOST = os.environ.get("ONETRIP_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("ONETRIP_TEST_REDIS_PORT", "6379"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require(service: str, host: str, port: int) -> None:
    """Skip with a visible reason when the service is absent — except in CI, where that fails."""
    if reachable(host, port):
        return
    message = f"{service} not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(message + " (CI must run these tests)")
    pytest.skip(message)


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def pg_url(database: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


# databases the shared Redis has (redis.conf ``databases``); 0 is left to people, 1… to test processes
REDIS_DATABASES = int(os.environ.get("ONETRIP_TEST_REDIS_DATABASES", "16"))
LOCK_DIR = Path(tempfile.gettempdir())
_held_lock = None  # the open lock file of this process's Redis database (closed at exit)


def preferred_redis_db() -> int:
    """gw0 → 1, gw1 → 2, …; without xdist (or on its controller) → 1."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) + 1 if worker.startswith("gw") and worker[2:].isdigit() else 1


@functools.cache
def redis_db() -> int:
    """This test process's database on the shared Redis; every test flushes it first.

    The index comes from the xdist worker id, so two workers of one run never share (and flush) a
    database, as ``pid % 15`` could. Other pytest runs on this machine number their workers the same
    way, and the app has no key-prefix setting to keep their keys apart: so the process also holds
    an exclusive lock on its database for the whole session, and takes the next free one when
    another run holds its own. None free: fail, naming the knob, rather than share one.
    """
    global _held_lock
    first = preferred_redis_db()
    candidates = [*range(first, REDIS_DATABASES), *range(1, first)]
    for index in candidates:
        lock = open(LOCK_DIR / f"onetrip-test-redis-{REDIS_HOST}-{REDIS_PORT}-{index}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _held_lock = lock
        return index
    raise RuntimeError(
        f"all {REDIS_DATABASES - 1} test databases of Redis {REDIS_HOST}:{REDIS_PORT} are held by other "
        "test processes: run fewer workers, or raise ONETRIP_TEST_REDIS_DATABASES with redis.conf's databases"
    )


def redis_url() -> str:
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db()}"
