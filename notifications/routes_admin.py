"""The admin's outbox: dead letters and their errors, requeueing, linking staff followers."""

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
)


async def list_outbox(ctx: Ctx) -> Page[OutboxRow]:
    """消息发送记录（默认列出死信及最后一次错误）"""
    return await service.outbox_page(ctx.query)


async def requeue_dead(ctx: Ctx) -> RequeueAnswer:
    """重新发送死信"""
    count = await service.requeue_dead(ctx.body.ids)
    if count and ctx.state.dispatcher is not None:
        ctx.after_commit(ctx.state.dispatcher.kick)
    return RequeueAnswer(requeued=count)


async def link_follower(ctx: Ctx) -> FollowerAnswer:
    """把公众号关注者绑定到账号（工作人员接收电子监察提醒）"""
    return await service.link_follower(ctx.body.oa_openid, ctx.body.user_id)


ENDPOINTS = [
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
