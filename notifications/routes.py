"""The citizen's subscribe messages: which templates to ask for, the grants given (admin: routes_admin)."""

from __future__ import annotations

from citizen_api.http import Ctx, endpoint
from notifications import service
from notifications.routes_admin import ENDPOINTS as ADMIN_ENDPOINTS
from notifications.schemas import SubscriptionsAnswer, SubscriptionsIn, TemplatesAnswer


async def get_templates(ctx: Ctx) -> TemplatesAnswer:
    """小程序应申请的订阅消息模板（按事件），及我剩余的授权次数"""
    return await service.templates_answer(ctx.user.user_id, ctx.settings)


async def post_subscriptions(ctx: Ctx) -> SubscriptionsAnswer:
    """记录市民刚在小程序中给出的一次性订阅授权（每条消息消耗一次）"""
    return await service.record_subscriptions(ctx.user.user_id, ctx.body, ctx.settings)


ENDPOINTS = [
    endpoint("GET", "/me/templates", get_templates, auth="citizen", response=TemplatesAnswer, tags=["me"]),
    endpoint(
        "POST",
        "/me/subscriptions",
        post_subscriptions,
        auth="citizen",
        body=SubscriptionsIn,
        response=SubscriptionsAnswer,
        tags=["me"],
    ),
    *ADMIN_ENDPOINTS,
]
