from __future__ import annotations

from citizen_api.http import Ctx, Page, PageQuery, endpoint
from citizen_api.security.principal import ADMIN
from citizen_api.users import admin, service
from citizen_api.users.schemas import PasswordReset, Profile, ProfileUpdate, StaffSummary


async def get_me(ctx: Ctx) -> Profile:
    """我的信息（脱敏）"""
    return await service.get_profile(ctx.user, ctx.settings)


async def put_profile(ctx: Ctx) -> Profile:
    """实名信息：姓名、身份证号（GB 11643 校验）、手机号"""
    return await service.update_profile(ctx.user, ctx.body, ctx.settings)


async def list_staff(ctx: Ctx) -> Page[StaffSummary]:
    """工作人员名录（按部门范围）"""
    total, items = await service.list_staff(ctx.user, ctx.query.offset, ctx.query.size)
    return Page[StaffSummary](total=total, items=items)


async def reset_password(ctx: Ctx) -> StaffSummary:
    """重置工作人员密码（管理员；同时解除登录锁定，该账号的所有登录随即失效）"""
    return await admin.reset_password(ctx.state, ctx.user, ctx.path["id"], ctx.body.password, ctx.request_id)


async def unlock_staff(ctx: Ctx) -> StaffSummary:
    """解除工作人员的登录锁定（管理员；密码不变）"""
    return await admin.unlock(ctx.state, ctx.user, ctx.path["id"], ctx.request_id)


ENDPOINTS = [
    endpoint("GET", "/me", get_me, auth="user", response=Profile, tags=["me"]),
    endpoint(
        "PUT", "/me/profile", put_profile, auth="citizen", body=ProfileUpdate, response=Profile, tags=["me"]
    ),
    endpoint(
        "GET",
        "/staff/users",
        list_staff,
        auth="staff",
        query=PageQuery,
        response=Page[StaffSummary],
        tags=["staff"],
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
