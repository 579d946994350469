"""Start-up: the bounded argon2 pool for staff logins, the reload of the disabled accounts whose
tokens every request refuses (``citizen_api.security.disabled``); the trusted proxies are checked here."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog

from citizen_api.middleware import parse_trusted_proxies
from citizen_api.security.passwords import PasswordVerifier
from citizen_api.state import AppState
from citizen_api.users import service as users

VERIFIER_KEY = "auth.password_verifier"
log = structlog.get_logger()


def verifier_of(state: AppState) -> PasswordVerifier | None:
    """The pool started here (None outside the API, e.g. in the CLI: hashing then runs inline)."""
    return state.extras.get(VERIFIER_KEY)


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    # a typo in ONETRIP_TRUSTED_PROXIES stops the start-up with its name rather than trusting nobody
    parse_trusted_proxies(state.settings.trusted_proxies)
    verifier = PasswordVerifier(state.settings.login_hash_concurrency)
    state.extras[VERIFIER_KEY] = verifier
    state.disabled_accounts.replace(await users.disabled_account_ids())
    reload = asyncio.create_task(_reload_disabled(state), name="disabled-accounts")
    try:
        yield
    finally:
        reload.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reload
        state.extras.pop(VERIFIER_KEY, None)
        verifier.close()


async def _reload_disabled(state: AppState) -> None:
    while True:
        await asyncio.sleep(state.settings.disabled_poll_seconds)
        try:
            state.disabled_accounts.replace(await users.disabled_account_ids())
        except Exception:  # a database hiccup: keep the last list, try again next time
            log.warning("reloading the disabled accounts failed", exc_info=True)
