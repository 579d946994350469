"""Start-up: the safe-mode keys (a bad EncodingAESKey stops start-up) and the reply store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bots.crypto import KeyRing
from bots.store import BotStore


@dataclass
class BotRuntime:
    keys: KeyRing
    store: BotStore


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
