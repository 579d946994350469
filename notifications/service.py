"""The endpoints' rules: templates for the mini-program, grants, and the admin's outbox view."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.http.schemas import Page
from citizen_api.users import service as users
from notifications import grants
from notifications import repository as repo
from notifications.config import templates_for
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
    total, rows = await repo.page(query.status, query.event, query.offset, query.size)
    return Page[OutboxRow](total=total, items=[OutboxRow.model_validate(r) for r in rows])


async def requeue_dead(ids: list[int] | None = None) -> int:
    """Dead rows (all, or those of ``ids``) back to pending with a fresh attempt budget."""
    return await repo.requeue_dead(ids, clock.now())


async def status_counts() -> dict[str, int]:
    """Rows per status (``onetrip outbox stats``)."""
    return await repo.status_counts()


async def link_follower(oa_openid: str, user_id: int) -> FollowerAnswer:
    """Link a follower to an account explicitly (staff, whose accounts have no unionid)."""
    return FollowerAnswer.model_validate(await users.link_follower(oa_openid, user_id))
