from __future__ import annotations

from citizen_api.http import Ctx, Page, PageQuery, endpoint
from citizen_api.users import service
from citizen_api.users.schemas import Profile, ProfileUpdate, StaffSummary


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
]
