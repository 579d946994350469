"""Login, token issue and refresh rotation with reuse detection."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import structlog

from citizen_api import clock, db
from citizen_api.auth import repository as repo
from citizen_api.auth import throttle
from citizen_api.auth.lifecycle import verifier_of
from citizen_api.auth.schemas import TokenPair, UserRef
from citizen_api.errors import ApiError
from citizen_api.security.passwords import verify_password_async
from citizen_api.security.principal import STAFF_ACCOUNT_ROLES, Principal
from citizen_api.security.tokens import issue_access_token, new_refresh_secret
from citizen_api.users import service as users
from citizen_api.users.schemas import Account

log = structlog.get_logger("onetrip.auth")

_BAD_REFRESH = ApiError(401, "REFRESH_TOKEN_INVALID", "登录已失效，请重新登录")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: Account) -> Principal:
    return Principal(user_id=user.id, role=user.role, department=user.department_code)


async def issue_pair(user: Account, settings, family: str | None = None) -> TokenPair:
    refresh = new_refresh_secret()
    expires_at = clock.now() + timedelta(seconds=settings.refresh_token_ttl_seconds)
    await repo.store_refresh(user.id, family or secrets.token_hex(16), _hash(refresh), expires_at)
    return TokenPair(
        access_token=issue_access_token(principal_of(user), settings),
        refresh_token=refresh,
        expires_in=settings.access_token_ttl_seconds,
        user=UserRef(id=user.id, role=user.role, must_change_password=user.must_change_password),
    )


async def login_wechat(state, code: str) -> TokenPair:
    # the WeChat call happens before any transaction is opened
    session = await state.wechat.code_to_session(code)
    async with db.atomic():
        user = await users.citizen_signed_in(session.openid, session.unionid)
        if not user.is_active:
            raise ApiError(403, "ACCOUNT_DISABLED", "账号已停用，请联系政务服务中心")
        return await issue_pair(user, state.settings)


def bad_credentials(left: int, settings, code: str = "INVALID_CREDENTIALS", status: int = 401) -> ApiError:
    """The answer to a wrong password: how many tries are left before the lock (same for every
    username, existing or not)."""
    what = "原密码不正确" if code == "PASSWORD_INCORRECT" else "用户名或密码错误"
    minutes = f"{settings.login_lock_minutes:g}"
    if left == 0:
        message = f"{what}，失败次数过多，账号已锁定 {minutes} 分钟"
    elif left <= 2:
        message = f"{what}，再失败 {left} 次账号将锁定 {minutes} 分钟"
    else:
        message = what
    return ApiError(status, code, message, {"attempts_left": left})


async def login_staff(state, username: str, password: str, client: str | None = None) -> TokenPair:
    attempt = await throttle.admit(state, username, client)
    user = await users.account_by_username(username)
    staff = user is not None and user.role in STAFF_ACCOUNT_ROLES and bool(user.password_hash)
    # an unknown username checks nothing, but takes as long (see security.passwords)
    stored = user.password_hash if staff else None
    ok = await verify_password_async(stored, password, verifier_of(state), attempt.priority)
    if not ok or user is None or not staff:
        left = await attempt.failed()
        log.info("staff login refused", username=username, attempts_left=left)
        raise bad_credentials(left, state.settings)
    await attempt.succeeded()
    if not user.is_active:
        raise ApiError(403, "ACCOUNT_DISABLED", "账号已停用")
    async with db.atomic():
        return await issue_pair(user, state.settings)


async def logout(refresh_token: str) -> None:
    """Revoke the family of the given refresh token (this login, on every device it was refreshed
    on). Unknown or already revoked tokens are accepted silently: logging out twice is fine."""
    row = await repo.refresh_by_hash(_hash(refresh_token))
    if row is not None:
        async with db.atomic():
            revoked = await repo.revoke_family(row.family, clock.now())
        log.info("logout", user_id=row.user_id, revoked=revoked)


async def refresh(state, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent and a new one of the same family is issued.

    Presenting a spent token again means it leaked (or a client bug): the whole family is
    revoked, so the thief and the owner both have to log in again.
    """
    token_hash = _hash(refresh_token)
    now = clock.now()
    async with db.atomic():
        if await repo.consume_refresh(token_hash, now) == 1:
            row = await repo.refresh_by_hash(token_hash)
            user = await users.account(row.user_id) if row else None
            if user is not None and user.is_active:
                return await issue_pair(user, state.settings, family=row.family)
    row = await repo.refresh_by_hash(token_hash)
    if row is not None and row.used_at is not None:
        async with db.atomic():
            revoked = await repo.revoke_family(row.family, now)
        log.warning("refresh token reused: family revoked", user_id=row.user_id, revoked=revoked)
        raise ApiError(401, "REFRESH_TOKEN_REUSED", "登录凭证已被使用，为安全起见请重新登录")
    raise _BAD_REFRESH
