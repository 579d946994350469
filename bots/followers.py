"""Followers of the official account: recorded from subscribe/unsubscribe events and messages,
linked to citizens by unionid (fetched with ``/cgi-bin/user/info``: events do not carry it)."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from tortoise.exceptions import IntegrityError

from bots.models import Follower
from citizen_api import clock
from citizen_api.jobs import JobContext
from citizen_api.users.models import User
from citizen_api.wechat.gateway import WeChatApiError, WeChatUnavailable
from citizen_api.wechat.messages import WeChatRateLimited, messenger_for

log = structlog.get_logger("onetrip.bot")

UNIONID_FETCH_SECONDS = 2.0  # inside the 5-s answer budget; a miss is retried by the periodic job


async def touch(openid: str, *, subscribing: bool = False) -> Follower:
    """The follower for ``openid``, created if new; its 48-hour window starts now (any message,
    menu click or subscription opens it)."""
    if await seen(openid, subscribing=subscribing):
        return await Follower.get(oa_openid=openid)
    now = clock.now()
    try:
        return await Follower.create(oa_openid=openid, subscribed_at=now, last_message_at=now)
    except IntegrityError:  # WeChat's retry or a second event raced us
        await seen(openid, subscribing=subscribing)
        return await Follower.get(oa_openid=openid)


async def seen(openid: str, *, subscribing: bool = False) -> bool:
    """Record a message from ``openid`` (one UPDATE: the hot path of text commands, which do not
    need the row itself); False when the follower is not known yet."""
    now = clock.now()
    # whoever writes to the account follows it
    changes: dict[str, Any] = {"last_message_at": now, "subscribed": True}
    if subscribing:
        changes.update(subscribed_at=now, unsubscribed_at=None)
    return bool(await Follower.filter(oa_openid=openid).update(**changes))


async def unsubscribed(openid: str) -> None:
    await Follower.filter(oa_openid=openid).update(subscribed=False, unsubscribed_at=clock.now())


async def fetch_unionid(follower: Follower, messenger) -> bool:
    """Ask WeChat for the follower's unionid; False when WeChat has none or did not answer."""
    try:
        info = await asyncio.wait_for(messenger.oa_user_info(follower.oa_openid), UNIONID_FETCH_SECONDS)
    except (TimeoutError, WeChatApiError, WeChatUnavailable, WeChatRateLimited) as exc:
        log.warning("unionid lookup failed", error=type(exc).__name__)
        return False
    unionid = info.get("unionid")
    if not isinstance(unionid, str) or not unionid or len(unionid) > 64:
        return False
    follower.unionid = unionid
    await Follower.filter(id=follower.id).update(unionid=unionid)
    return True


async def linked_user(follower: Follower) -> User | None:
    """The account behind a follower: an explicit link, else the citizen with the same unionid."""
    if follower.user_id:
        return await User.get_or_none(id=follower.user_id, is_active=True)
    if follower.unionid:
        citizens = User.filter(unionid=follower.unionid, role="citizen", is_active=True)
        return await citizens.order_by("id").first()
    return None


async def fill_missing_unionids(ctx: JobContext) -> int:
    """Periodic job: link followers whose unionid lookup failed when they subscribed."""
    messenger = messenger_for(ctx.state)
    missing = await Follower.filter(subscribed=True, unionid=None).order_by("id").limit(100)
    found = 0
    for follower in missing:
        found += await fetch_unionid(follower, messenger)
    return found
