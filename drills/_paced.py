"""Steady, paced load for the fault drills, with every request's start, end and answer recorded.

A drill is not a throughput test: requests go out at a fixed rate (request ``i`` at ``i / rate``
seconds) whatever the latency, so the number of bookings and submissions is known in advance and
a slow phase does not thin out the load. Each request is later put in the phase it overlapped.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

from drills._mix import Mix, op_for


@dataclass
class Record:
    start: float
    end: float
    op: str
    status: int


@dataclass
class Faults:
    """Wall-clock marks of a drill (``time.monotonic()``): when the fault began and when it ended."""

    began: float = 0.0
    ended: float = 0.0

    def phase(self, record: Record) -> str:
        if not self.began or record.end < self.began:
            return "before"
        if self.ended and record.start > self.ended:
            return "after"
        return "outage"


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)

    def table(self, faults: Faults) -> dict[str, dict[str, Counter]]:
        out: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        for r in self.records:
            out[faults.phase(r)][r.op][r.status] += 1
        return out


async def paced(mix: Mix, *, rate: float, seconds: float, concurrency: int = 32) -> Run:
    """``rate`` requests/s of the mix for ``seconds``; returns every request's record."""
    run = Run()
    total = int(rate * seconds)
    numbers = iter(range(total))
    origin = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            for i in numbers:
                delay = origin + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                start = time.monotonic()
                status = await mix.request(session, i)
                run.records.append(Record(start, time.monotonic(), op_for(i), status))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return run


def planned(rate: float, seconds: float) -> Counter:
    return Counter(op_for(i) for i in range(int(rate * seconds)))


async def wait_for(check: Callable[[], Awaitable[bool]], seconds: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(every)
    return await check()


def print_phases(table: dict[str, dict[str, Counter]], expected: dict[str, int]) -> dict[str, int]:
    """One line per phase: answers per operation; returns failed answers per phase."""
    failed = {}
    for phase in ("before", "outage", "after"):
        ops = table.get(phase, {})
        total = sum(sum(c.values()) for c in ops.values())
        bad = sum(n for op, c in ops.items() for s, n in c.items() if s != expected[op])
        failed[phase] = bad
        detail = "; ".join(f"{op} {dict(sorted(c.items()))}" for op, c in sorted(ops.items()))
        print(f"  {phase:>6}: {total} requests, {bad} not as expected — {detail}")
    return failed
