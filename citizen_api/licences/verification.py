"""Verification codes (亮证核验): a short-lived signed token the mini-program shows as a QR code;
whoever scans it learns the licence's type, number, issuer, validity and the masked holder.

The token is a JWT (HS256) under a key derived from the JWT secret for this purpose only, so an
access token is never a verification code nor the reverse; its expiry is checked against the
service clock. It names the licence only by id: nothing personal travels in it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import jwt

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.licences import repository as repo
from citizen_api.licences import views
from citizen_api.licences.schemas import LicenceCode, VerifyResult

ALGORITHM = "HS256"
ISSUER = "onetrip"
TOKEN_TYPE = "licence_verify"


def _key(settings) -> bytes:
    return hmac.new(settings.jwt_secret.encode(), b"onetrip-licence-verification", hashlib.sha256).digest()


def issue(licence_id: int, settings) -> LicenceCode:
    now = clock.now()
    expires = now + timedelta(seconds=settings.licence_code_seconds)
    claims = {
        "iss": ISSUER,
        "typ": TOKEN_TYPE,
        "sub": str(licence_id),
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": secrets.token_hex(8),
    }
    return LicenceCode(code=jwt.encode(claims, _key(settings), algorithm=ALGORITHM), expires_at=expires)


def _invalid() -> ApiError:
    return ApiError(400, "LICENCE_CODE_INVALID", "核验码无效，请让持证人重新出示")


def licence_id_of(code: str, settings) -> int:
    try:
        claims = jwt.decode(
            code,
            _key(settings),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise _invalid() from None
    sub = str(claims.get("sub", ""))
    if claims.get("typ") != TOKEN_TYPE or not sub.isdigit() or not 1 <= int(sub) <= 2_147_483_647:
        raise _invalid()
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= clock.now().timestamp():
        raise ApiError(410, "LICENCE_CODE_EXPIRED", "核验码已过期，请让持证人刷新后重新出示")
    return int(sub)


async def verify(code: str, settings) -> VerifyResult:
    licence = await repo.licence_by_id(licence_id_of(code, settings))
    if licence is None:
        raise _invalid()
    return views.verified(licence, settings, clock.today())
