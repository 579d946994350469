"""The production stack of the load bench and the fault drills, every piece a real process.

``onetrip serve --workers N`` and ``onetrip worker`` on PostgreSQL (a fresh database on the shared
server, or a private cluster the drill may restart) and a private Redis (which the drill may stop),
the WeChat simulator in its own process; ``onetrip migrate`` and ``onetrip seed-demo`` first.
Logs go to files in a temporary directory (an unread pipe would block a chatty server).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp

from bench._common import PY, ROOT, bench_env, drop_pg_database, fresh_pg_database, run_cli
from drills._private import PrivatePostgres, PrivateRedis, free_port

ONETRIP = str(Path(PY).parent / "onetrip")
JWT_SECRET = "drill-jwt-secret-0123456789-abcdefghijklmnop"
DATA_KEY = base64.urlsafe_b64encode(b"d" * 32).decode()

# a load test measures the service, not its anti-abuse throttles (they are tested on their own)
NO_THROTTLES = {
    "ONETRIP_BOOKING_ATTEMPTS_PER_MINUTE": "100000",
    "ONETRIP_BOOKING_WEEKLY_LIMIT": "100",
    "ONETRIP_PROGRESS_IP_LIMIT": "100000000",
    "ONETRIP_PROGRESS_NUMBER_LIMIT": "100000000",
}


class Process:
    """A subprocess whose output goes to a log file; stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], logdir: Path) -> None:
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self.log = self.log_path.open("ab")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_port(self, port: int, timeout: float = 60.0) -> None:
        import socket

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not listen on {port}: {self.tail()}")

    def tail(self, chars: int = 2000) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class Stack:
    """``async with Stack("load") as stack:`` → ``stack.base`` (API), ``stack.sim`` (WeChat), ``.url``."""

    def __init__(self, name: str, *, api_workers: int = 2, private_pg: bool = False, **env: str) -> None:
        self.name = f"onetrip_{name}_{os.getpid()}"
        self.api_workers = api_workers
        self.private_pg = PrivatePostgres() if private_pg else None
        self.redis = PrivateRedis()
        self.extra_env = env
        self.logdir = Path(tempfile.mkdtemp(prefix=f"onetrip-{name}-"))
        self.processes: list[Process] = []
        self.url = self.base = self.sim = ""
        self.api: Process | None = None
        self.worker: Process | None = None
        self.worker_restarts = 0
        self.keep_logs = bool(os.environ.get("DRILL_KEEP_LOGS"))
        self._supervisor: asyncio.Task | None = None

    async def __aenter__(self) -> Stack:
        try:
            await self._start()
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def _start(self) -> None:
        if self.private_pg is not None:
            self.private_pg.init()
            self.url = self.private_pg.create_database(self.name)
        else:
            self.url = await fresh_pg_database(self.name)
        self.redis.start()
        sim_port, api_port = free_port(), free_port()
        self.sim = f"http://127.0.0.1:{sim_port}"
        self.base = f"http://127.0.0.1:{api_port}"
        self.env = bench_env(
            self.url,
            ONETRIP_REDIS_URL=self.redis.url,
            ONETRIP_WECHAT_API_BASE=self.sim,
            ONETRIP_JWT_SECRET=JWT_SECRET,
            ONETRIP_DATA_KEY=DATA_KEY,
            ONETRIP_ACCESS_TOKEN_TTL_SECONDS="86400",
            **NO_THROTTLES,
            **self.extra_env,
        )
        sim = self._spawn("wechat-sim", [PY, "-m", "infra.simulators.wechat", "--port", str(sim_port)])
        sim.wait_port(sim_port)
        await asyncio.to_thread(run_cli, self.env, "migrate")
        await asyncio.to_thread(run_cli, self.env, "seed-demo")
        self.start_api(api_port)
        self.start_worker()
        self._supervisor = asyncio.create_task(self._supervise(), name="worker-supervisor")

    def _spawn(self, name: str, cmd: list[str]) -> Process:
        process = Process(name, cmd, self.env, self.logdir)
        self.processes.append(process)
        return process

    def start_api(self, port: int) -> None:
        cmd = [ONETRIP, "serve", "--port", str(port), "--workers", str(self.api_workers)]
        self.api = self._spawn("api", cmd)
        self.api.wait_port(port)
        for _ in range(300):  # every worker process has finished its start-up (search index …)
            with contextlib.suppress(OSError):
                import urllib.request

                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):
                    return
            time.sleep(0.1)

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", [ONETRIP, "worker"])

    async def _supervise(self) -> None:
        """Restart the worker when it exits, as the deployment's systemd unit does
        (infra/deploy/onetrip-worker@.service: Restart=always, RestartSec=2)."""
        while True:
            await asyncio.sleep(0.5)
            if self.worker is not None and not self.worker.alive():
                self.worker_restarts += 1
                print(
                    f"  worker exited ({self.worker.proc.returncode}); supervisor restarts it in 2 s",
                    flush=True,
                )
                await asyncio.sleep(2)
                self.start_worker()

    async def __aexit__(self, *exc) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        for process in reversed(self.processes):
            process.stop()
        self.redis.close()
        if self.private_pg is not None:
            self.private_pg.close()
        elif self.url:
            with contextlib.suppress(Exception):
                await drop_pg_database(self.name)
        if exc[0] is None and not self.keep_logs:
            shutil.rmtree(self.logdir, ignore_errors=True)
        else:
            print(f"logs kept in {self.logdir}")

    def dsn(self) -> str:
        return self.url.replace("postgres://", "postgresql://", 1)

    async def sim_messages(self) -> list[dict]:
        async with aiohttp.ClientSession() as http, http.get(f"{self.sim}/_sim/messages") as resp:
            return await resp.json()

    def server_errors_logged(self) -> int:
        """500s answered and exceptions that escaped the app, from the API's log. (A 503 during an
        outage is not one, nor asyncpg's own "failed to restore the pool connection floor".)"""
        text = self.api.tail(10**9) if self.api else ""
        return text.count('"status": 500') + text.count("Exception in ASGI application")
