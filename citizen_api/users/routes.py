"""The citizen's (and staff member's) own account: ``/me`` (the staff directory: routes_staff)."""

from __future__ import annotations

from citizen_api.http import Ctx, endpoint
from citizen_api.users import service
from citizen_api.users.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.users.schemas import Profile, ProfileUpdate


async def get_me(ctx: Ctx) -> Profile:
    """我的信息（脱敏）"""
    return await service.get_profile(ctx.user, ctx.settings)


async def put_profile(ctx: Ctx) -> Profile:
    """实名信息：姓名、身份证号（GB 11643 校验）、手机号"""
    return await service.update_profile(ctx.user, ctx.body, ctx.settings)


ENDPOINTS = [
    endpoint("GET", "/me", get_me, auth="user", response=Profile, tags=["me"]),
    endpoint(
        "PUT", "/me/profile", put_profile, auth="citizen", body=ProfileUpdate, response=Profile, tags=["me"]
    ),
    *STAFF_ENDPOINTS,
]
