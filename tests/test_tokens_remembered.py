"""Access tokens are verified once per process and remembered, yet every call still checks what can
change: a token signed with another secret is refused, one past its expiry is refused, a tampered
one is refused however often its genuine twin was seen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.security.tokens import decode_access_token, issue_access_token
from citizen_api.settings import Settings

SECRET_A = "remembered-tokens-secret-a-0123456789abcdef"
SECRET_B = "remembered-tokens-secret-b-0123456789abcdef"


def _settings(secret: str) -> Settings:
    return Settings(database_url="sqlite://:memory:", jwt_secret=secret, access_token_ttl_seconds=600)


def _refused(token: str, settings: Settings) -> str:
    with pytest.raises(ApiError) as refused:
        decode_access_token(token, settings)
    assert refused.value.status == 401
    return refused.value.code


def test_a_remembered_token_is_still_checked_at_every_call():
    a, b = _settings(SECRET_A), _settings(SECRET_B)
    token = issue_access_token(Principal(7, "citizen"), a)
    for _ in range(3):
        assert decode_access_token(token, a) == Principal(user_id=7, role="citizen", department=None)
    assert _refused(token, b) == "UNAUTHENTICATED"  # the same text, another service's secret
    head, body, signature = token.split(".")
    forged = f"{head}.{body}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert _refused(forged, a) == "UNAUTHENTICATED"
    clock.set_now(clock.now() + timedelta(seconds=601))
    assert _refused(token, a) == "TOKEN_EXPIRED"
