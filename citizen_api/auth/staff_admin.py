"""Admin actions on staff credentials: reset a password (which also lifts a login lock), unlock."""

from __future__ import annotations

from citizen_api import clock, db
from citizen_api.audit.service import record
from citizen_api.auth import repository as repo
from citizen_api.auth import throttle
from citizen_api.auth.lifecycle import verifier_of
from citizen_api.errors import not_found
from citizen_api.http.validation import validation_error
from citizen_api.security.passwords import hash_password_async, password_problem
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from citizen_api.users.schemas import Account, StaffSummary


async def _staff(user_id: int) -> Account:
    user = await users.staff_account(user_id)
    if user is None:
        raise not_found("未找到该工作人员")
    return user


async def reset_password(
    state, admin: Principal, user_id: int, password: str, request_id: str
) -> StaffSummary:
    """A new password set by an admin: the lock is lifted and every session of the account ends."""
    user = await _staff(user_id)
    problem = password_problem(password, user.username)
    if problem:
        raise validation_error({"body.password": problem})
    new_hash = await hash_password_async(password, verifier_of(state))
    async with db.atomic():
        now = clock.now()
        await users.set_password_hash(user.id, new_hash, now)
        await repo.revoke_user(user.id, now)
        await record(admin, "password.reset", "user", user.id, {}, request_id=request_id)
    await throttle.unlock(state, user.username)
    return users.staff_summary(user)


async def unlock(state, admin: Principal, user_id: int, request_id: str) -> StaffSummary:
    """Lift a login lock (and forget the failures) without changing the password."""
    user = await _staff(user_id)
    was_locked = await throttle.locked_until(state, user.username)
    async with db.atomic():
        await record(
            admin,
            "login.unlock",
            "user",
            user.id,
            {"was_locked": was_locked is not None},
            request_id=request_id,
        )
    await throttle.unlock(state, user.username)
    return users.staff_summary(user)
