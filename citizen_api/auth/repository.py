"""Queries on refresh tokens and on users by login identity."""

from __future__ import annotations

from datetime import datetime

from citizen_api.auth.models import RefreshToken
from citizen_api.users.models import User


async def citizen_by_openid(openid: str) -> User | None:
    return await User.get_or_none(openid=openid)


async def create_citizen(openid: str, unionid: str | None) -> User:
    return await User.create(role="citizen", openid=openid, unionid=unionid)


async def staff_by_username(username: str) -> User | None:
    return await User.get_or_none(username=username)


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


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


async def revoke_user(user_id: int, now: datetime) -> int:
    """Every live refresh token of a user (password changed or reset: other sessions end)."""
    return await RefreshToken.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)


async def set_password_hash(user_id: int, password_hash: str, now: datetime) -> int:
    return await User.filter(id=user_id).update(password_hash=password_hash, updated_at=now)
