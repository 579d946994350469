"""Start-up: the safe-mode keys (a bad EncodingAESKey stops start-up), the reply store, and the
answers that outlive their request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bots.crypto import KeyRing
from bots.store import BotStore


@dataclass
class BotRuntime:
    keys: KeyRing
    store: BotStore
    # answers still being worked on after the request said "success" (and their follow-ups): held
    # here so that they are not garbage-collected half way
    background: set[asyncio.Task] = field(default_factory=set)


def bot_runtime(state) -> BotRuntime:
    runtime = state.extras.get("bot")
    if runtime is None:
        s = state.settings
        keys = KeyRing(s.oa_aes_key, s.oa_aes_key_previous, s.oa_appid)
        runtime = BotRuntime(keys, BotStore(state.redis, s))
        state.extras["bot"] = runtime
    return runtime


@asynccontextmanager
async def lifespan(state) -> AsyncIterator[None]:
    bot_runtime(state)
    yield
