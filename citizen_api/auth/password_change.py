"""Staff change their own password (``POST /auth/password``).

The old password is checked like a login (same throttle and lock: a stolen access token cannot be
used to guess it faster); the new one must follow the rules of ``security.passwords``. Every other
session of the account ends (its refresh tokens are revoked); the caller gets a fresh pair.
"""

from __future__ import annotations

from citizen_api import clock, db
from citizen_api.audit.service import record
from citizen_api.auth import repository as repo
from citizen_api.auth import throttle
from citizen_api.auth.lifecycle import verifier_of
from citizen_api.auth.schemas import TokenPair
from citizen_api.auth.service import bad_credentials, issue_pair
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.security.passwords import hash_password_async, password_problem, verify_password_async
from citizen_api.security.principal import STAFF_ACCOUNT_ROLES, Principal
from citizen_api.users import service as users


async def change_password(
    state, principal: Principal, old_password: str, new_password: str, client: str | None, request_id: str
) -> TokenPair:
    user = await users.account(principal.user_id)
    if user is None or not user.is_active or user.role not in STAFF_ACCOUNT_ROLES or not user.username:
        raise ApiError(401, "UNAUTHENTICATED", "账号不存在或已停用，请重新登录")
    problem = password_problem(new_password, user.username)
    if problem is None and new_password == old_password:
        problem = "新密码不能与原密码相同"
    if problem:
        raise validation_error({"body.new_password": problem})
    attempt = await throttle.admit(state, user.username, client)
    if not await verify_password_async(
        user.password_hash, old_password, verifier_of(state), attempt.priority
    ):
        left = await attempt.failed()
        raise bad_credentials(left, state.settings, code="PASSWORD_INCORRECT", status=403)
    await attempt.succeeded()
    new_hash = await hash_password_async(new_password, verifier_of(state))
    now = clock.now()
    # opened only now (the endpoint has none): no transaction is held while argon2 runs
    async with db.atomic():
        await users.set_password_hash(user.id, new_hash, now)
        await repo.revoke_user(user.id, now)
        await record(principal, "password.change", "user", user.id, {}, request_id=request_id)
        return await issue_pair(user.model_copy(update={"must_change_password": False}), state.settings)
