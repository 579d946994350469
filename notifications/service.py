"""The endpoints' rules: templates for the mini-program, grants, and the admin's outbox view."""

from __future__ import annotations

from citizen_api.errors import ApiError
from citizen_api.http.schemas import Page
from notifications import grants
from notifications.config import templates_for
from notifications.dispatcher import requeue_dead
from notifications.models import Notification
from notifications.schemas import (
    FollowerAnswer,
    OutboxQuery,
    OutboxRow,
    SubscriptionsAnswer,
    SubscriptionsIn,
    TemplatesAnswer,
)


async def templates_answer(user_id: int, settings) -> TemplatesAnswer:
    config = templates_for(settings)
    sets = {
        name: [config.subscribe[key].template_id for key in keys if key in config.subscribe][:3]
        for name, keys in config.request_sets.items()
    }
    return TemplatesAnswer(
        templates=config.subscribe_ids_by_event(),
        request_sets=sets,
        grants=await grants.available_by_template(user_id),
    )


async def record_subscriptions(user_id: int, body: SubscriptionsIn, settings) -> SubscriptionsAnswer:
    known = templates_for(settings).known_subscribe_ids()
    ignored = sorted(tid for tid in body.grants if tid not in known)
    for template_id, answer in body.grants.items():
        # "reject" leaves earlier grants alone: WeChat keeps them too
        if answer == "accept" and template_id in known:
            await grants.record(user_id, template_id, settings.notify_max_grants_per_template)
    available = await grants.available_by_template(user_id)
    return SubscriptionsAnswer(grants={t: n for t, n in available.items() if t in known}, ignored=ignored)


async def outbox_page(query: OutboxQuery) -> Page[OutboxRow]:
    rows = Notification.filter(status=query.status)
    if query.event:
        rows = rows.filter(event=query.event)
    total = await rows.count()
    items = await rows.order_by("-id").offset(query.offset).limit(query.size)
    return Page[OutboxRow](
        total=total,
        items=[
            OutboxRow(
                id=r.id,
                user_id=r.user_id,
                audience=r.audience,
                event=r.event,
                status=r.status,
                attempts=r.attempts,
                channel=r.channel,
                reason=r.reason,
                last_error=r.last_error,
                created_at=r.created_at,
                next_attempt_at=r.next_attempt_at,
                sent_at=r.sent_at,
            )
            for r in items
        ],
    )


async def requeue(ids: list[int] | None) -> int:
    return await requeue_dead(ids)


async def link_follower(oa_openid: str, user_id: int) -> FollowerAnswer:
    """Link a follower to an account explicitly (staff, whose accounts have no unionid)."""
    from bots.models import Follower
    from citizen_api.users.models import User

    follower = await Follower.get_or_none(oa_openid=oa_openid)
    if follower is None:
        raise ApiError(404, "NOT_FOUND", "该用户尚未关注公众号")
    if not await User.exists(id=user_id, is_active=True):
        raise ApiError(404, "NOT_FOUND", "账号不存在")
    follower.user_id = user_id
    await follower.save(update_fields=["user_id"])
    return FollowerAnswer(
        oa_openid=follower.oa_openid,
        user_id=follower.user_id,
        unionid=follower.unionid,
        subscribed=follower.subscribed,
    )
