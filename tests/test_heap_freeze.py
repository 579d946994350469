"""The production entry's app freezes its start-up heap once started (full collections then skip it:
bench/dashboard.py's 100 ms pauses) and unfreezes at shutdown; a start-up that fails freezes nothing."""

from __future__ import annotations

import asyncio
import gc
from contextlib import asynccontextmanager

import pytest
from starlette.applications import Starlette

from citizen_api.heap import FreezeHeapAfterStartup


async def _lifespan(app, sent: list[dict], *, stop: bool = True) -> list[dict]:
    """Drive the ASGI lifespan protocol as uvicorn does; the messages the app sent, with the frozen
    count seen after each."""
    inbox: asyncio.Queue = asyncio.Queue()

    async def send(message):
        sent.append({**message, "frozen": gc.get_freeze_count()})
        if message["type"] == "lifespan.startup.complete" and stop:
            await inbox.put({"type": "lifespan.shutdown"})

    await inbox.put({"type": "lifespan.startup"})
    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, send)
    return sent


async def test_the_heap_is_frozen_after_startup_and_thawed_at_shutdown():
    gc.unfreeze()
    sent = await _lifespan(FreezeHeapAfterStartup(Starlette()), [])
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert sent[0]["frozen"] > 1000  # the interpreter, the libraries, the app
    assert sent[1]["frozen"] == 0 == gc.get_freeze_count()


async def test_a_failed_startup_freezes_nothing():
    gc.unfreeze()

    @asynccontextmanager
    async def refusing(app):
        raise RuntimeError("database not migrated")
        yield

    sent: list[dict] = []
    with pytest.raises(RuntimeError):  # Starlette re-raises after telling the server
        await _lifespan(FreezeHeapAfterStartup(Starlette(lifespan=refusing)), sent, stop=False)
    assert [m["type"] for m in sent] == ["lifespan.startup.failed"]
    assert gc.get_freeze_count() == 0
