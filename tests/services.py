"""Finding the real PostgreSQL and Redis this machine runs (CI must have them; locally they may skip)."""

from __future__ import annotations

import os
import socket

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


def redis_url() -> str:
    # one Redis database per test process (1–15), so parallel runs rarely see each other's keys
    index = os.getpid() % 15 + 1
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{index}"
