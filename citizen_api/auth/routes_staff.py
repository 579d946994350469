"""Admins manage staff accounts: create, disable, reset a password, lift a login lock (all audited)."""

from __future__ import annotations

import inspect

from citizen_api.auth import staff_admin
from citizen_api.auth.schemas import PasswordReset, StaffCreate
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


async def create_staff(ctx: Ctx) -> StaffSummary:
    """新建工作人员账号（管理员；本人首次登录后须修改密码）

    用户名已存在答 409 USERNAME_TAKEN；密码不合规则答 422（`details.fields["body.password"]`，与修改密码
    同样的规则）；窗口、审批人员须指定部门，部门不存在答 422 UNKNOWN_DEPARTMENT。
    """
    return await staff_admin.create(ctx.state, ctx.user, ctx.body, ctx.request_id)


async def disable_staff(ctx: Ctx) -> StaffSummary:
    """停用工作人员账号（管理员；该账号随即不能登录、不能刷新令牌，所有登录失效）"""
    return await staff_admin.disable(ctx.state, ctx.user, ctx.path["id"], ctx.request_id)


def _details(handler) -> str:
    return inspect.cleandoc(handler.__doc__ or "").partition("\n")[2].strip()


# argon2 runs before the unit of work the actions open themselves
ENDPOINTS = [
    endpoint(
        "POST",
        "/staff/users",
        create_staff,
        description=_details(create_staff),
        auth={ADMIN},
        body=StaffCreate,
        response=StaffSummary,
        status=201,
        tags=["staff"],
        atomic="manual",
        errors=[(409, "USERNAME_TAKEN"), (422, "UNKNOWN_DEPARTMENT"), (422, "VILLAGE_POINT_REQUIRED")],
    ),
    endpoint(
        "POST",
        "/staff/users/{id:id}/disable",
        disable_staff,
        auth={ADMIN},
        response=StaffSummary,
        tags=["staff"],
        atomic="manual",
        errors=[(404, "NOT_FOUND"), (409, "CANNOT_DISABLE_SELF")],
    ),
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
