"""Admin actions on staff accounts: create, disable, reset a password (which also lifts a login
lock), unlock. Every one is audited; the account must change an admin-set password (``must_change_password``).
"""

from __future__ import annotations

from citizen_api import clock, db
from citizen_api.audit.service import record
from citizen_api.auth import ports, throttle
from citizen_api.auth import repository as repo
from citizen_api.auth.lifecycle import verifier_of
from citizen_api.auth.schemas import StaffCreate
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError, not_found
from citizen_api.http.validation import validation_error
from citizen_api.security.passwords import hash_password_async, password_problem
from citizen_api.security.principal import APPROVER, VILLAGE_AGENT, WINDOW, Principal
from citizen_api.users import service as users
from citizen_api.users.schemas import Account, StaffSummary

DEPARTMENT_ROLES = frozenset({WINDOW, APPROVER})  # they work for one department


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
        await users.set_password_hash(user.id, new_hash, now, must_change_password=True)
        await repo.revoke_user(user.id, now)
        await record(admin, "password.reset", "user", user.id, {}, request_id=request_id)
    await throttle.unlock(state, user.username)
    return users.staff_summary(user.model_copy(update={"must_change_password": True}))


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


async def create(state, admin: Principal, body: StaffCreate, request_id: str) -> StaffSummary:
    """A new staff account with an initial password its owner must change at the first login."""
    problem = password_problem(body.password, body.username)
    if problem:
        raise validation_error({"body.password": problem})
    department = body.department
    if body.role in DEPARTMENT_ROLES and not department:
        raise validation_error({"body.department": "窗口和审批人员须指定部门"})
    if department is not None and department not in await catalog.department_names():
        raise ApiError(422, "UNKNOWN_DEPARTMENT", "部门不存在", {"department": department})
    office_code = await _agent_point(body)
    if await users.account_by_username(body.username) is not None:  # before argon2: a cheap refusal
        raise _taken(body.username)
    new_hash = await hash_password_async(body.password, verifier_of(state))
    async with db.atomic():
        user = await users.create_staff_account(
            body.username, new_hash, body.role, department, body.display_name, office_code
        )
        if user is None:
            raise _taken(body.username)
        details = {"username": user.username, "role": user.role, "department": department}
        if office_code:
            details["office_code"] = office_code
        await record(admin, "staff.create", "user", user.id, details, request_id=request_id)
    return users.staff_summary(user)


async def disable(state, admin: Principal, user_id: int, request_id: str) -> StaffSummary:
    """Disable an account: it can no longer log in or refresh, and every session of it ends."""
    user = await _staff(user_id)
    if user.id == admin.user_id:
        raise ApiError(409, "CANNOT_DISABLE_SELF", "不能停用自己的账号")
    async with db.atomic():
        now = clock.now()
        disabled = await users.set_staff_active(user.id, False)
        revoked = await repo.revoke_user(user.id, now)
        await record(
            admin, "staff.disable", "user", user.id, {"revoked_sessions": revoked}, request_id=request_id
        )
    state.disabled_accounts.add(user.id)  # this process refuses its tokens now, the others on reload
    return users.staff_summary(disabled or user)


async def _agent_point(body: StaffCreate) -> str | None:
    """A 代办员 works for one village point (422 VILLAGE_POINT_REQUIRED otherwise); nobody else has one."""
    if body.role != VILLAGE_AGENT:
        if body.office_code is not None:
            raise validation_error({"body.office_code": "只有代办员须指定服务点"})
        return None
    if not body.office_code or not await ports.is_village_point(body.office_code):
        raise ApiError(
            422,
            "VILLAGE_POINT_REQUIRED",
            "代办员须指定所在的村（社区）便民服务点",
            {"office_code": body.office_code},
        )
    return body.office_code


def _taken(username: str) -> ApiError:
    return ApiError(409, "USERNAME_TAKEN", "该用户名已被使用", {"username": username})
