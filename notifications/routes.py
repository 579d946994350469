from __future__ import annotations

from citizen_api.http import Ctx, Page, endpoint
from notifications import service
from notifications.schemas import (
    FollowerAnswer,
    FollowerLinkIn,
    OutboxQuery,
    OutboxRow,
    RequeueAnswer,
    RequeueIn,
    SubscriptionsAnswer,
    SubscriptionsIn,
    TemplatesAnswer,
)


async def get_templates(ctx: Ctx) -> TemplatesAnswer:
    """小程序应申请的订阅消息模板（按事件），及我剩余的授权次数"""
    return await service.templates_answer(ctx.user.user_id, ctx.settings)


async def post_subscriptions(ctx: Ctx) -> SubscriptionsAnswer:
    """记录市民刚在小程序中给出的一次性订阅授权（每条消息消耗一次）"""
    return await service.record_subscriptions(ctx.user.user_id, ctx.body, ctx.settings)


async def list_outbox(ctx: Ctx) -> Page[OutboxRow]:
    """消息发送记录（默认列出死信及最后一次错误）"""
    return await service.outbox_page(ctx.query)


async def requeue_dead(ctx: Ctx) -> RequeueAnswer:
    """重新发送死信"""
    count = await service.requeue(ctx.body.ids)
    if count and ctx.state.dispatcher is not None:
        ctx.after_commit(ctx.state.dispatcher.kick)
    return RequeueAnswer(requeued=count)


async def link_follower(ctx: Ctx) -> FollowerAnswer:
    """把公众号关注者绑定到账号（工作人员接收电子监察提醒）"""
    return await service.link_follower(ctx.body.oa_openid, ctx.body.user_id)


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
    endpoint(
        "GET",
        "/admin/notifications",
        list_outbox,
        auth={"admin"},
        query=OutboxQuery,
        response=Page[OutboxRow],
        tags=["admin"],
    ),
    endpoint(
        "POST",
        "/admin/notifications/requeue",
        requeue_dead,
        auth={"admin"},
        body=RequeueIn,
        response=RequeueAnswer,
        tags=["admin"],
    ),
    endpoint(
        "POST",
        "/admin/followers/link",
        link_follower,
        auth={"admin"},
        body=FollowerLinkIn,
        response=FollowerAnswer,
        tags=["admin"],
        errors=[(404, "NOT_FOUND")],
    ),
]
