"""Helpers for the staff-login tests (fixtures in ``tests.auth_plugin``): the real app under
uvicorn on loopback with login limits small enough to reach, or ``onetrip serve`` in a process of
its own; clients that connect from other loopback addresses (127.0.0.2 …), so the server sees
distinct real peers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from citizen_api.app import create_app
from citizen_api.settings import Settings
from tests.conftest import create_staff, make_settings
from tests.ports import listens_on

NO_WECHAT = "http://127.0.0.1:9"  # never called here
PASSWORD = "correct-horse-9"
LIMITS = dict(
    login_lock_attempts=3,
    login_lock_minutes=10,
    login_failure_window_minutes=15,
    login_client_limit=6,
    login_client_window_seconds=300,
    access_token_ttl_seconds=3600,
)


@dataclass
class Server:
    base_url: str
    settings: Settings

    def client(self, source: str = "127.0.0.1") -> httpx.AsyncClient:
        """An HTTP client whose connections come from ``source`` (any 127.0.0.0/8 address)."""
        transport = httpx.AsyncHTTPTransport(local_address=source)
        return httpx.AsyncClient(base_url=self.base_url, transport=transport, timeout=60)

    async def login(self, client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
        return await client.post("/api/v1/auth/staff", json={"username": username, "password": password})

    async def verifications(self, client: httpx.AsyncClient) -> float:
        """argon2 checks computed so far, as the server's /metrics shows them."""
        text = (await client.get("/metrics")).text
        match = re.search(r"^onetrip_password_verifications_total ([0-9.e+]+)$", text, re.M)
        assert match, "the verification counter is not exported"
        return float(match.group(1))


@contextlib.asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[Server]:
    """``create_app(settings)`` under uvicorn on a free loopback port, for the block's duration."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(
        create_app(settings), lifespan="on", log_level="warning", access_log=False, proxy_headers=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(6000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "the app did not start"
    try:
        yield Server(base, settings)
    finally:
        server.should_exit = True
        await task
        sock.close()


def login_settings(tmp_path, database_url: str, **overrides) -> Settings:
    values = {**LIMITS, **overrides}
    return make_settings(tmp_path, database_url, NO_WECHAT, **values)


async def make_clerk(username: str = "wang", role: str = "window", department: str | None = "GA"):
    return await create_staff(username, role, department, password=PASSWORD)


ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")


@contextlib.contextmanager
def onetrip_serve(database_url: str, var_dir: Path, **env_extra: str) -> Iterator[str]:
    """``onetrip serve`` in its own process, exactly as the systemd unit starts it; yields its URL."""
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("FORWARDED_ALLOW_IPS", None)
    env.update(
        {
            "ONETRIP_ENV": "test",
            "ONETRIP_DATABASE_URL": database_url,
            "ONETRIP_VAR_DIR": str(var_dir),
            "ONETRIP_STORAGE_DIR": str(var_dir / "uploads"),
            "ONETRIP_LOG_JSON": "true",
            **env_extra,
        }
    )
    for _attempt in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log_path = var_dir / f"serve-{port}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [ONETRIP, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            if _wait_healthy(proc, base, port):
                yield base
                return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if "address already in use" not in log_path.read_text().lower():
            raise RuntimeError("onetrip serve exited: " + log_path.read_text()[-2000:])
    raise RuntimeError("onetrip serve found no free port")


def _wait_healthy(proc: subprocess.Popen, base: str, port: int) -> bool:
    """True once our process holds the port and answers /healthz; False if it exited (e.g. the port
    was taken: another server answering there is told apart by who holds the socket, not by time)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if listens_on(proc.pid, port):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return True
        time.sleep(0.2)
    raise RuntimeError("onetrip serve did not start within 90 s")
