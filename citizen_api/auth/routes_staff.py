"""Admins manage staff credentials: reset a password, lift a login lock."""

from __future__ import annotations

from citizen_api.auth import staff_admin
from citizen_api.auth.schemas import PasswordReset
from citizen_api.http import Ctx, endpoint
from citizen_api.security.principal import ADMIN
from citizen_api.users.schemas import StaffSummary


async def reset_password(ctx: Ctx) -> StaffSummary:
    """重置工作人员密码（管理员；同时解除登录锁定，该账号的所有登录随即失效）"""
    return await staff_admin.reset_password(
        ctx.state, ctx.user, ctx.path["id"], ctx.body.password, ctx.request_id
    )


async def unlock_staff(ctx: Ctx) -> StaffSummary:
    """解除工作人员的登录锁定（管理员；密码不变）"""
    return await staff_admin.unlock(ctx.state, ctx.user, ctx.path["id"], ctx.request_id)


# argon2 runs before the unit of work the actions open themselves
ENDPOINTS = [
    endpoint(
        "POST",
        "/staff/users/{id:id}/reset-password",
        reset_password,
        auth={ADMIN},
        body=PasswordReset,
        response=StaffSummary,
        tags=["staff"],
        atomic="manual",
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/staff/users/{id:id}/unlock",
        unlock_staff,
        auth={ADMIN},
        response=StaffSummary,
        tags=["staff"],
        atomic="manual",
        errors=[(404, "NOT_FOUND")],
    ),
]
