"""The test processes' databases on the shared Redis (tests/services.py): one per xdist worker, by
its id, and never one that another process (another worker, another pytest run) holds — every test
flushes its database first, so sharing one would wipe another test's keys mid-run.

Each holder is a real process (as an xdist worker is); the lock files go to this test's own
directory (``TMPDIR``), so the machine's other runs neither disturb nor see these."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLD = "import sys; from tests.services import redis_db; print(redis_db(), flush=True); sys.stdin.read()"


class Holders:
    def __init__(self, lock_dir: Path) -> None:
        self.lock_dir = lock_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, worker: str | None, **env_extra: str) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
        env.update(TMPDIR=str(self.lock_dir), **env_extra)
        if worker is not None:
            env["PYTEST_XDIST_WORKER"] = worker
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def database(self, worker: str | None, **env_extra: str) -> int:
        """The database a new process of ``worker`` takes (and holds until it ends)."""
        proc = self.start(worker, **env_extra)
        line = proc.stdout.readline()
        assert line.strip().isdigit(), proc.stderr.read()
        return int(line)

    def end(self, proc: subprocess.Popen) -> None:
        proc.stdin.close()
        proc.wait(30)

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.end(proc)


@pytest.fixture
def holders(tmp_path):
    group = Holders(tmp_path)
    yield group
    group.close()


def test_the_database_comes_from_the_worker_id(holders):
    assert [holders.database(w) for w in ("gw0", "gw1", "gw2", "gw14")] == [1, 2, 3, 15]


def test_without_xdist_the_database_is_1(holders):
    assert holders.database(None) == 1


def test_a_database_held_by_another_run_is_never_shared(holders):
    first = holders.start("gw0")
    assert int(first.stdout.readline()) == 1
    # another run's gw0 (and a run without xdist) at the same time: the next free databases
    assert holders.database("gw0") == 2
    assert holders.database(None) == 3
    assert holders.database("gw1") == 4  # its own (2) is taken by then
    holders.end(first)  # that run ended: its database is free again
    assert holders.database("gw0") == 1


def test_all_databases_held_fails_naming_the_setting(holders):
    small = {"ONETRIP_TEST_REDIS_DATABASES": "3"}  # databases 1 and 2 for tests
    assert [holders.database(w, **small) for w in ("gw0", "gw1")] == [1, 2]
    third = holders.start("gw2", **small)
    assert third.wait(30) != 0
    message = third.stderr.read()
    assert "all 2 test databases" in message and "ONETRIP_TEST_REDIS_DATABASES" in message
