"""Access tokens (short-lived JWT, HS256) and opaque refresh-token ids.

Only HS256 is accepted on decode, so ``alg: none`` and algorithm confusion are refused.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

import jwt

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.security.principal import ALL_ROLES, Principal

ALGORITHM = "HS256"
ISSUER = "onetrip"


def issue_access_token(principal: Principal, settings) -> str:
    now = clock.now()
    claims = {
        "iss": ISSUER,
        "sub": str(principal.user_id),
        "role": principal.role,
        "dept": principal.department,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=settings.access_token_ttl_seconds)).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


@lru_cache(maxsize=16384)
def _verified_claims(token: str, secret: str) -> dict:
    """The claims of a token whose signature and issuer hold (raises otherwise; a refusal is not
    remembered). Remembered per process: a phone polling on release day sends the same token every
    second, and verifying it was a sixth of a refusal's cost (py-spy, bench/booking.py). The expiry
    and the claims' meaning are checked at every call; the dict is shared, never changed."""
    return jwt.decode(
        token,
        secret,
        algorithms=[ALGORITHM],
        issuer=ISSUER,
        # times are the service clock's, checked by the caller: PyJWT would hold a token issued on a
        # clock moved ahead (tests, drills) as "not yet valid" by the wall clock
        options={"require": ["exp", "iat", "sub", "iss"], "verify_exp": False, "verify_iat": False},
    )


def decode_access_token(token: str, settings) -> Principal:
    try:
        claims = _verified_claims(token, settings.jwt_secret)
    except jwt.PyJWTError:
        raise ApiError(401, "UNAUTHENTICATED", "登录凭证无效，请重新登录") from None
    # expiry checked against the service clock (tests move it), not the wall clock
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= clock.now().timestamp():
        raise ApiError(401, "TOKEN_EXPIRED", "登录已过期，请重新登录")
    role = claims.get("role")
    sub = claims.get("sub", "")
    if claims.get("typ") != "access" or role not in ALL_ROLES or not str(sub).isdigit():
        raise ApiError(401, "UNAUTHENTICATED", "登录凭证无效，请重新登录")
    dept = claims.get("dept")
    return Principal(user_id=int(sub), role=role, department=dept if isinstance(dept, str) else None)


def new_refresh_secret() -> str:
    """An opaque refresh token: 256 bits of randomness; only its hash is stored."""
    return secrets.token_urlsafe(32)
