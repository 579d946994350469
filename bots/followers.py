"""Linking followers of the official account to citizens by unionid, which subscribe events do not
carry: it is fetched with ``/cgi-bin/user/info``. The follower records are ``citizen_api.users``'."""

from __future__ import annotations

import asyncio

import structlog

from citizen_api.jobs import JobContext
from citizen_api.users import service as users
from citizen_api.users.schemas import FollowerInfo
from citizen_api.wechat.gateway import WeChatApiError, WeChatUnavailable
from citizen_api.wechat.messages import WeChatRateLimited, messenger_for

log = structlog.get_logger("onetrip.bot")

UNIONID_FETCH_SECONDS = 2.0  # inside the 5-s answer budget; a miss is retried by the periodic job


async def fetch_unionid(follower: FollowerInfo, messenger) -> bool:
    """Ask WeChat for the follower's unionid; False when WeChat has none or did not answer."""
    try:
        info = await asyncio.wait_for(messenger.oa_user_info(follower.oa_openid), UNIONID_FETCH_SECONDS)
    except (TimeoutError, WeChatApiError, WeChatUnavailable, WeChatRateLimited) as exc:
        log.warning("unionid lookup failed", error=type(exc).__name__)
        return False
    unionid = info.get("unionid")
    if not isinstance(unionid, str) or not unionid or len(unionid) > 64:
        return False
    await users.set_follower_unionid(follower.id, unionid)
    return True


async def fill_missing_unionids(ctx: JobContext) -> int:
    """Periodic job: link followers whose unionid lookup failed when they subscribed."""
    messenger = messenger_for(ctx.state)
    found = 0
    for follower in await users.followers_without_unionid(100):
        found += await fetch_unionid(follower, messenger)
    return found
