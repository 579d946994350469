"""Start-up: the bounded argon2 pool for staff logins; the trusted proxy list is checked here too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from citizen_api.middleware import parse_trusted_proxies
from citizen_api.security.passwords import PasswordVerifier
from citizen_api.state import AppState

VERIFIER_KEY = "auth.password_verifier"


def verifier_of(state: AppState) -> PasswordVerifier | None:
    """The pool started here (None outside the API, e.g. in the CLI: hashing then runs inline)."""
    return state.extras.get(VERIFIER_KEY)


@asynccontextmanager
async def lifespan(state: AppState) -> AsyncIterator[None]:
    # a typo in ONETRIP_TRUSTED_PROXIES stops the start-up with its name rather than trusting nobody
    parse_trusted_proxies(state.settings.trusted_proxies)
    verifier = PasswordVerifier(state.settings.login_hash_concurrency)
    state.extras[VERIFIER_KEY] = verifier
    try:
        yield
    finally:
        state.extras.pop(VERIFIER_KEY, None)
        verifier.close()
