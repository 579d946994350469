from __future__ import annotations

import inspect

from starlette.responses import Response

from citizen_api.auth import password_change, service
from citizen_api.auth.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.auth.schemas import (
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    StaffLogin,
    TokenPair,
    WechatLogin,
)
from citizen_api.errors import ApiError
from citizen_api.http import API_PREFIX, Ctx, endpoint
from citizen_api.http.validation import validation_error

# the workbench keeps its refresh token in this cookie: HttpOnly (no script reads it), SameSite=Strict,
# sent only to the auth calls; Secure when the server is reached over https
REFRESH_COOKIE = "onetrip_refresh"
COOKIE_PATH = f"{API_PREFIX}/auth"
_COOKIE_DOC = (
    f"答复同时以 Cookie `{REFRESH_COOKIE}`（HttpOnly、SameSite=Strict、Path={COOKIE_PATH}，"
    "经 https 访问时带 Secure）下发刷新令牌，供浏览器（工作台）使用；小程序照旧使用答复中的 refresh_token。"
)


def _with_cookie(ctx: Ctx, pair: TokenPair) -> Response:
    response = Response(pair.model_dump_json(), media_type="application/json")
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=ctx.settings.refresh_token_ttl_seconds,
        path=COOKIE_PATH,
        secure=ctx.settings.public_base_url.lower().startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


def _presented(ctx: Ctx) -> str | None:
    """The refresh token of the body (mini-program), else of the cookie (workbench)."""
    cookie = ctx.request.cookies.get(REFRESH_COOKIE) or None
    token = ctx.body.refresh_token or cookie
    return token if token and len(token) <= 256 else None


async def login_wechat(ctx: Ctx) -> TokenPair:
    """小程序登录：用 wx.login 的 code 换取令牌"""
    return await service.login_wechat(ctx.state, ctx.body.code)


async def refresh(ctx: Ctx) -> TokenPair:
    """刷新令牌（旧刷新令牌随即失效）

    刷新令牌放在请求体 `refresh_token`（小程序），或不带请求体、由 Cookie `onetrip_refresh` 带来（工作台）；
    两者都没有答 401 REFRESH_TOKEN_INVALID。
    """
    token = _presented(ctx)
    if token is None:
        raise ApiError(401, "REFRESH_TOKEN_INVALID", "登录已失效，请重新登录")
    return _with_cookie(ctx, await service.refresh(ctx.state, token))


async def login_staff(ctx: Ctx) -> TokenPair:
    """工作人员登录

    按用户名和客户端地址限流：连续失败达到次数后账号锁定一段时间（期间正确的密码也不能登录，
    管理员重置密码或解锁、或到时自动解除），答 429 RATE_LIMITED，带 Retry-After；
    `details.locked_until` 为解锁时间，`details.attempts_left` 为锁定前还可失败的次数。
    """
    pair = await service.login_staff(ctx.state, ctx.body.username, ctx.body.password, ctx.client_ip)
    return _with_cookie(ctx, pair)


async def change_password(ctx: Ctx) -> TokenPair:
    """工作人员修改本人密码

    原密码错误答 403 PASSWORD_INCORRECT（与登录同样计入失败次数和锁定）；新密码不合规则答 422，
    `details.fields["body.new_password"]` 说明原因。成功后其他设备上的登录随即失效，返回新的令牌。
    """
    body = ctx.body
    return await password_change.change_password(
        ctx.state, ctx.user, body.old_password, body.new_password, ctx.client_ip, ctx.request_id
    )


async def logout(ctx: Ctx) -> Response:
    """退出登录：吊销该刷新令牌所属的整组令牌（重复退出也答 204）

    刷新令牌放在请求体 `refresh_token`，或由 Cookie `onetrip_refresh` 带来（两者都没有答 422）；
    答复同时清除该 Cookie。
    """
    token = _presented(ctx)
    if token is None:
        raise validation_error({"body.refresh_token": "缺少刷新令牌（请求体或 onetrip_refresh Cookie）"})
    await service.logout(token)
    response = Response(status_code=204)
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


def _details(handler) -> str:
    """The docstring after its first line (the summary), for the OpenAPI description."""
    return inspect.cleandoc(handler.__doc__ or "").partition("\n")[2].strip()


_TAGS = ["auth"]
# These manage their own transactions: the WeChat call must not hold one open, a detected
# refresh-token reuse must commit its revocation even though it answers 401, and no transaction
# is held while argon2 runs.
ENDPOINTS = [
    endpoint(
        "POST",
        "/auth/wechat",
        login_wechat,
        body=WechatLogin,
        response=TokenPair,
        tags=_TAGS,
        atomic="manual",
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
        description=_details(refresh) + "\n\n" + _COOKIE_DOC,
        body=RefreshRequest,
        response=TokenPair,
        tags=_TAGS,
        atomic="manual",
        errors=[(401, "REFRESH_TOKEN_INVALID"), (401, "REFRESH_TOKEN_REUSED")],
    ),
    endpoint(
        "POST",
        "/auth/staff",
        login_staff,
        description=_details(login_staff) + "\n\n" + _COOKIE_DOC,
        body=StaffLogin,
        response=TokenPair,
        tags=_TAGS,
        atomic="manual",
        errors=[(401, "INVALID_CREDENTIALS"), (403, "ACCOUNT_DISABLED"), (429, "RATE_LIMITED")],
    ),
    endpoint(
        "POST",
        "/auth/password",
        change_password,
        description=_details(change_password),
        auth="staff",
        body=PasswordChange,
        response=TokenPair,
        tags=_TAGS,
        atomic="manual",
        errors=[(403, "PASSWORD_INCORRECT"), (429, "RATE_LIMITED")],
    ),
    endpoint(
        "POST",
        "/auth/logout",
        logout,
        description=_details(logout),
        body=LogoutRequest,
        status=204,
        tags=_TAGS,
        atomic="manual",
    ),
    *STAFF_ENDPOINTS,
]
