from __future__ import annotations

from citizen_api.auth import service
from citizen_api.auth.schemas import RefreshRequest, StaffLogin, TokenPair, WechatLogin
from citizen_api.http import Ctx, endpoint


async def login_wechat(ctx: Ctx) -> TokenPair:
    """小程序登录：用 wx.login 的 code 换取令牌"""
    return await service.login_wechat(ctx.state, ctx.body.code)


async def refresh(ctx: Ctx) -> TokenPair:
    """刷新令牌（旧刷新令牌随即失效）"""
    return await service.refresh(ctx.state, ctx.body.refresh_token)


async def login_staff(ctx: Ctx) -> TokenPair:
    """工作人员登录"""
    return await service.login_staff(ctx.state, ctx.body.username, ctx.body.password)


_TAGS = ["auth"]
# These manage their own transactions: the WeChat call must not hold one open, and a
# detected refresh-token reuse must commit its revocation even though it answers 401.
ENDPOINTS = [
    endpoint(
        "POST",
        "/auth/wechat",
        login_wechat,
        body=WechatLogin,
        response=TokenPair,
        tags=_TAGS,
        transaction=False,
        errors=[
            (401, "WECHAT_CODE_INVALID"),
            (403, "ACCOUNT_DISABLED"),
            (429, "RATE_LIMITED"),
            (503, "WECHAT_UNAVAILABLE"),
        ],
    ),
    endpoint(
        "POST",
        "/auth/refresh",
        refresh,
        body=RefreshRequest,
        response=TokenPair,
        tags=_TAGS,
        transaction=False,
        errors=[(401, "REFRESH_TOKEN_INVALID"), (401, "REFRESH_TOKEN_REUSED")],
    ),
    endpoint(
        "POST",
        "/auth/staff",
        login_staff,
        body=StaffLogin,
        response=TokenPair,
        tags=_TAGS,
        transaction=False,
        errors=[(401, "INVALID_CREDENTIALS"), (403, "ACCOUNT_DISABLED"), (429, "RATE_LIMITED")],
    ),
]
