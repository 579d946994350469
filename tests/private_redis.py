"""A ``redis-server`` of a test's own, on a loopback port picked without a race.

A port found free and closed again can be taken by another test's server before ``redis-server``
binds it; a readiness check that only connects would then talk to that other server. So ``start``
waits until the server on the port reports *our* process id (``INFO server``), and when our
``redis-server`` exited instead (the port was taken) it tries another port. A restart keeps the port
(clients hold the URL): taken meanwhile, it fails saying so instead of using someone else's server.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import redis

ATTEMPTS = 5
START_WITHIN = 15.0  # seconds for one redis-server to answer


def redis_missing() -> str | None:
    """Why a private Redis cannot be started here, or None."""
    return None if shutil.which("redis-server") else "redis-server is not installed"


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """``redis-server`` without persistence; ``stop()``/``start()`` keep the port.

    ``stop()`` kills it (SIGKILL: clients see their connections drop, as in a crash); with
    ``graceful=True`` it is terminated (SIGTERM) instead.
    """

    def __init__(self, *, graceful: bool = False) -> None:
        self.port: int | None = None
        self.graceful = graceful
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, "start() the server first"
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        if self.port is not None:  # a restart: same port, or a clear failure
            if not self._start_on(self.port):
                raise RuntimeError(f"port {self.port} was taken while the private Redis was down")
            return self
        for _ in range(ATTEMPTS):
            port = _unused_port()
            if self._start_on(port):
                self.port = port
                return self
        raise RuntimeError(f"no free port for a private Redis after {ATTEMPTS} attempts")

    def _start_on(self, port: int) -> bool:
        """True once our redis-server answers on ``port``; False when it exited (port taken)."""
        args = [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=port, socket_connect_timeout=0.5, socket_timeout=0.5)
        deadline = time.monotonic() + START_WITHIN
        try:
            while proc.poll() is None:
                try:
                    if client.info("server")["process_id"] == proc.pid:
                        self.proc = proc
                        return True
                except redis.RedisError:
                    pass  # not listening yet (or another server that is not ours: wait for ours to exit)
                if time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    raise RuntimeError(f"redis-server on port {port} did not answer within {START_WITHIN} s")
                time.sleep(0.02)
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            if self.graceful:
                self.proc.terminate()
            else:
                self.proc.kill()
            self.proc.wait(10)
        self.proc = None
