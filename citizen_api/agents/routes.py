"""代办授权 API: the principal gives and revokes authorisations; the agent sees whom they may act for.

Acting itself is ``on_behalf_of`` on ``POST /applications`` and ``POST /appointments``.
"""

from __future__ import annotations

from citizen_api.agents import service
from citizen_api.agents.schemas import AuthorisationIn, AuthorisationView, PrincipalView
from citizen_api.http import Ctx, Page, PageQuery, endpoint


async def authorise(ctx: Ctx) -> AuthorisationView:
    """授权他人代办（姓名、身份证号、手机号；指定事项或全部事项；有效期至某日，最长一年）"""
    return await service.authorise(ctx.user, ctx.body, ctx.settings, ctx.request_id)


async def my_authorisations(ctx: Ctx) -> Page[AuthorisationView]:
    """我给出的代办授权（代办人信息脱敏）"""
    return await service.given(ctx.user, ctx.query, ctx.settings)


async def my_principals(ctx: Ctx) -> Page[PrincipalView]:
    """授权我代办的委托人（按本人实名信息匹配：身份证号与姓名一致）"""
    return await service.principals(ctx.user, ctx.query, ctx.settings)


async def revoke(ctx: Ctx) -> AuthorisationView:
    """撤销代办授权（立即生效：代办人不能再以本授权办理，也不再看到经其代办的办件和预约）"""
    return await service.revoke(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id)


_TAGS = ["agents"]

ENDPOINTS = [
    endpoint(
        "POST",
        "/me/authorisations",
        authorise,
        auth="citizen",
        body=AuthorisationIn,
        response=AuthorisationView,
        status=201,
        tags=_TAGS,
        errors=[(409, "PROFILE_INCOMPLETE"), (409, "TOO_MANY_AUTHORISATIONS")],
    ),
    endpoint(
        "GET",
        "/me/authorisations",
        my_authorisations,
        auth="citizen",
        query=PageQuery,
        response=Page[AuthorisationView],
        tags=_TAGS,
    ),
    endpoint(
        "GET",
        "/me/principals",
        my_principals,
        auth="citizen",
        query=PageQuery,
        response=Page[PrincipalView],
        tags=_TAGS,
    ),
    endpoint(
        "POST",
        "/me/authorisations/{id:id}/revoke",
        revoke,
        auth="citizen",
        status=200,
        response=AuthorisationView,
        tags=_TAGS,
        errors=[(404, "NOT_FOUND"), (409, "AUTHORISATION_REVOKED")],
    ),
]
