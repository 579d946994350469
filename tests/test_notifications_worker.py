"""``onetrip worker`` as a real process on PostgreSQL and a private Redis: a status change is sent
once; a worker SIGKILLed in the middle of a WeChat call leaves its row to the next worker, which
sends it once its lease has run out (not after arq's 5-minute in-progress mark)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from notifications import grants
from notifications.models import Notification
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBE = "/cgi-bin/message/subscribe/send"
PAYLOAD = {"number": "W2026000001", "item_name": "居民身份证换领"}
WORKER_SETTINGS = {
    "ONETRIP_NOTIFY_LEASE_SECONDS": "2",
    "ONETRIP_NOTIFY_JOB_TIMEOUT_SECONDS": "2",  # arq's in-progress mark: 2 + 2 s
    "ONETRIP_WECHAT_TIMEOUT_SECONDS": "1.5",
    "ONETRIP_NOTIFY_POLL_SECONDS": "0.2",
    "ONETRIP_NOTIFY_BACKOFF_BASE_SECONDS": "0",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.time() + 10
    while time.time() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("private redis-server did not start")


class PrivateRedis:
    """A Redis of our own, stopped and started by the tests; the shared one is never touched."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        args = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.proc)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def database_url(postgres_url) -> str:  # several processes on one database: PostgreSQL only
    return postgres_url


@pytest.fixture
def notify_overrides(private_redis) -> dict:
    return {"redis_url": private_redis.url}


class WorkerProcess:
    def __init__(self, napp, tmp_path: Path) -> None:
        settings = napp.settings
        self.env = {
            **os.environ,
            "ONETRIP_ENV": "test",
            "ONETRIP_DATABASE_URL": settings.database_url,
            "ONETRIP_REDIS_URL": settings.redis_url,
            "ONETRIP_WECHAT_API_BASE": settings.wechat_api_base,
            "ONETRIP_VAR_DIR": str(tmp_path / "worker-var"),
            "ONETRIP_NOTIFY_QUEUE_NAME": settings.notify_queue_name,
            "ONETRIP_LOG_JSON": "true",
            **WORKER_SETTINGS,
        }
        self.log = tmp_path / "worker.log"
        self.proc: subprocess.Popen | None = None

    def _spawn(self) -> int:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            command = [str(Path(sys.executable).parent / "onetrip"), "worker"]
            self.proc = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        return offset

    def _started(self, offset: int) -> bool:
        text = self.log.read_bytes()[offset:]
        assert self.proc is not None and self.proc.poll() is None, text.decode(errors="replace")
        return b"worker started" in text

    async def start(self) -> None:
        offset = self._spawn()
        deadline = time.monotonic() + 20
        while not self._started(offset):
            assert time.monotonic() < deadline, "worker did not start"
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
async def worker(napp, tmp_path):
    process = WorkerProcess(napp, tmp_path)
    yield process
    process.stop()


async def _wait_status(row_id: int, statuses: tuple[str, ...], within: float) -> Notification:
    deadline = time.monotonic() + within
    while True:
        row = await Notification.get(id=row_id)
        if row.status in statuses or time.monotonic() > deadline:
            return row
        await asyncio.sleep(0.02)


async def test_worker_process_sends_a_status_change_once(napp, worker):
    await worker.start()
    user_id, headers = await napp.citizen("wendy")
    await napp.grant(headers, CASE_TEMPLATE)
    row_id = await napp.transition(user_id, "case.accepted", PAYLOAD)  # queued by the API's kick

    row = await _wait_status(row_id, ("sent", "skipped", "dead"), 15)
    assert (row.status, row.channel, row.attempts) == ("sent", "subscribe", 1)
    [message] = napp.messages()
    assert message["data"]["character_string1"]["value"] == PAYLOAD["number"]


async def test_worker_killed_during_the_call_leaves_the_row_to_the_next_worker(napp, worker):
    await worker.start()
    user_id, headers = await napp.citizen("xavier")
    await napp.grant(headers, CASE_TEMPLATE)
    # WeChat hangs on the first send (and then fails it): the worker is killed inside that call
    napp.sim.fail(SUBSCRIBE, status=500, delay=10.0)
    row_id = await napp.transition(user_id, "case.accepted", PAYLOAD)
    deadline = time.monotonic() + 15
    while SUBSCRIBE not in napp.sim.state.calls:  # the worker is inside the call
        assert time.monotonic() < deadline, "the worker never called WeChat"
        await asyncio.sleep(0.01)
    worker.kill()
    claimed = await Notification.get(id=row_id)
    assert (claimed.status, claimed.grant_status) == ("sending", "held")
    killed_at = time.monotonic()

    await worker.start()
    row = await _wait_status(row_id, ("sent", "skipped", "dead"), 30)
    took = time.monotonic() - killed_at
    # attempt 2 (3 on a loaded machine where the retry itself overran the 2 s job timeout)
    assert row.status == "sent" and row.attempts >= 2, (row.status, row.attempts, row.reason)
    assert row.attempt_id != claimed.attempt_id
    assert len(napp.messages()) == 1
    assert await grants.available(user_id, CASE_TEMPLATE) == 0  # one grant, spent once
    # lease 2 s, arq's in-progress mark 4 s: the row comes back in seconds, not after 310 s
    assert took < 15, took


async def test_worker_outlives_a_redis_outage_and_sends_what_was_written_meanwhile(
    napp, worker, private_redis
):
    await worker.start()
    pid = worker.proc.pid
    user_id, headers = await napp.citizen("olga")
    await napp.grant(headers, CASE_TEMPLATE)
    private_redis.stop()
    await asyncio.sleep(3)  # the worker notices and waits for Redis
    row_id = await napp.transition(user_id, "case.accepted", PAYLOAD)  # the outbox holds it
    assert (await Notification.get(id=row_id)).status == "pending"
    private_redis.start()

    row = await _wait_status(row_id, ("sent", "skipped", "dead"), 30)
    assert row.status == "sent"
    assert worker.proc.poll() is None and worker.proc.pid == pid  # the same process, never exited
    assert len(napp.messages()) == 1
