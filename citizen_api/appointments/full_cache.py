"""Slots known to be full for citizens, so that a refused attempt costs no transaction and no query.

The database stays the only authority for giving a place: a slot not marked full still goes
through the conditional UPDATE, and a mark only ever turns an attempt away. A mark is set when
the UPDATE finds no place (or a booking takes the last one) and lives in Redis when configured
(``onetrip:appt:full:<slot>``, shared by every process) with a copy in the process for at most
``LOCAL_SECONDS``; without Redis only the process copy exists.

Freeing a place (a cancel, a waiting-list hand-over that finds nobody, a capacity change) calls
``freed`` after its commit: it deletes the mark and bumps the slot's epoch. A mark is written only
if the epoch is still the one read before the UPDATE, so an attempt that saw "full" just before a
cancel committed cannot put back a stale mark; other processes drop their copy within
``LOCAL_SECONDS``. If Redis fails the cache says "not known full" (the database answers).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass, field

import structlog

log = structlog.get_logger("onetrip.appointments")

LOCAL_SECONDS = 0.5  # a freed place is seen by every process within this (plus one Redis round trip)
MARK_SECONDS = 600  # a Redis mark outlives any rush; ``freed`` deletes it at once
_KEY = "appointments.full_cache"
_GATES = "appointments.slot_gates"
GATE = 4  # attempts of one slot per process inside the database at once (they queue on its row anyway)

# KEYS: the mark, the epoch; ARGV: the epoch read before the UPDATE ("" when there was none), ttl
_MARK_LUA = """
local epoch = redis.call('GET', KEYS[2]) or ''
if epoch == ARGV[1] then
  redis.call('SET', KEYS[1], '1', 'EX', tonumber(ARGV[2]))
  return 1
end
return 0
"""


@dataclass(slots=True)
class Seen:
    """What an attempt learnt before touching the database."""

    full: bool
    epoch: str = ""


@dataclass
class _Local:
    marks: dict[int, float] = field(default_factory=dict)  # slot → monotonic expiry
    epochs: dict[int, int] = field(default_factory=dict)  # slot → local epoch (without Redis)


def _local(state) -> _Local:
    return state.extras.setdefault(_KEY, _Local())


def _mark_key(slot_id: int) -> str:
    return f"onetrip:appt:full:{slot_id}"


def _epoch_key(slot_id: int) -> str:
    return f"onetrip:appt:epoch:{slot_id}"


def known_full_here(state, slot_id: int) -> bool:
    """This process's own copy of the mark (no I/O): the cheapest refusal, before anything else."""
    expiry = _local(state).marks.get(slot_id)
    return expiry is not None and expiry > time.monotonic()


def gate(state, slot_id: int) -> asyncio.Semaphore:
    """At most ``GATE`` attempts per slot and process go to the database at once; the others wait,
    then find the mark those attempts left (a rush's refusals never reach the database)."""
    gates = state.extras.setdefault(_GATES, weakref.WeakValueDictionary())
    found = gates.get(slot_id)
    if found is None:
        found = gates[slot_id] = asyncio.Semaphore(GATE)
    return found


async def seen(state, slot_id: int) -> Seen:
    """Whether ``slot_id`` is known full, and the epoch to hand back to ``mark_full``."""
    local = _local(state)
    expiry = local.marks.get(slot_id)
    if expiry is not None and expiry > time.monotonic():
        return Seen(True)
    redis = state.redis
    if redis is None:
        return Seen(False, str(local.epochs.get(slot_id, "")))
    try:
        mark, epoch = await redis.mget(_mark_key(slot_id), _epoch_key(slot_id))
    except Exception as exc:  # the database answers instead
        log.warning("full-slot cache unavailable", error=type(exc).__name__)
        return Seen(False, "?")
    if mark:
        local.marks[slot_id] = time.monotonic() + LOCAL_SECONDS
        return Seen(True)
    return Seen(False, epoch.decode() if isinstance(epoch, bytes) else (epoch or ""))


async def mark_full(state, slot_id: int, epoch: str) -> None:
    """Remember that citizens cannot book ``slot_id`` (unless a place was freed since ``epoch``)."""
    if epoch == "?":
        return  # Redis failed when the attempt started: no mark
    local = _local(state)
    redis = state.redis
    if redis is None:
        if str(local.epochs.get(slot_id, "")) == epoch:
            local.marks[slot_id] = time.monotonic() + LOCAL_SECONDS
        return
    try:
        script = redis.register_script(_MARK_LUA)
        if await script(keys=[_mark_key(slot_id), _epoch_key(slot_id)], args=[epoch, MARK_SECONDS]):
            local.marks[slot_id] = time.monotonic() + LOCAL_SECONDS
    except Exception as exc:
        log.warning("full-slot cache unavailable", error=type(exc).__name__)


async def freed(state, slot_id: int) -> None:
    """A place of ``slot_id`` may be free again (call after the commit that freed it)."""
    local = _local(state)
    local.marks.pop(slot_id, None)
    local.epochs[slot_id] = local.epochs.get(slot_id, 0) + 1
    redis = state.redis
    if redis is None:
        return
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(_epoch_key(slot_id))
            pipe.expire(_epoch_key(slot_id), 86_400)
            pipe.delete(_mark_key(slot_id))
            await pipe.execute()
    except Exception as exc:
        log.warning("full-slot cache unavailable", error=type(exc).__name__)
