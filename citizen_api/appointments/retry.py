"""The request's unit of work, run again when PostgreSQL breaks a deadlock or refuses to serialise.

The booking paths take their locks in one order (slot row → appointment row → quota rows), so a
deadlock should not happen; if PostgreSQL still picks a victim (40P01) or cannot serialise (40001),
the whole unit is run again instead of answering 500. The endpoints (``atomic="manual"``) hand
their ``ctx.atomic`` in: the unit stays the request's, services still open none of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

T = TypeVar("T")
Unit = Callable[[], AbstractAsyncContextManager[Any]]
RETRYABLE_SQLSTATES = {"40P01", "40001"}


async def in_unit(unit: Unit, work: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    """``work()`` inside ``unit()`` (one transaction), tried up to ``attempts`` times on a deadlock."""
    for attempt in range(attempts):
        try:
            async with unit():
                return await work()
        except Exception as exc:
            if attempt == attempts - 1 or not _retryable(exc):
                raise
            await asyncio.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _retryable(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        current = current.__cause__ or current.__context__
    return False
