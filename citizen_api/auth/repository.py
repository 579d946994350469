"""Queries on refresh tokens (the accounts themselves are ``citizen_api.users``')."""

from __future__ import annotations

from datetime import datetime

from citizen_api.auth.models import RefreshToken


async def store_refresh(user_id: int, family: str, token_hash: str, expires_at: datetime) -> None:
    await RefreshToken.create(user_id=user_id, family=family, token_hash=token_hash, expires_at=expires_at)


async def consume_refresh(token_hash: str, now: datetime) -> int:
    """Mark a live refresh token used. A conditional UPDATE, so two racing uses cannot both win."""
    return await RefreshToken.filter(
        token_hash=token_hash, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)


async def refresh_by_hash(token_hash: str) -> RefreshToken | None:
    return await RefreshToken.get_or_none(token_hash=token_hash)


async def revoke_family(family: str, now: datetime) -> int:
    return await RefreshToken.filter(family=family, revoked_at__isnull=True).update(revoked_at=now)


async def revoke_user(user_id: int, now: datetime) -> int:
    """Every live refresh token of a user (password changed or reset: other sessions end)."""
    return await RefreshToken.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)
