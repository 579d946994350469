"""The official account's followers: bots records them, notifications writes to them (re-exported
by ``users.service``, the domain's public API)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.users import repository as repo
from citizen_api.users.models import User
from citizen_api.users.schemas import Account, FollowerInfo


def _account(user: User | None) -> Account | None:
    return Account.model_validate(user) if user is not None else None


def _follower(row) -> FollowerInfo | None:
    return FollowerInfo.model_validate(row) if row is not None else None


async def follower_seen(openid: str, *, subscribing: bool = False) -> bool:
    """Record a message from ``openid`` (one UPDATE: the hot path of text commands); False when
    the follower is not known yet. Whoever writes to the account follows it, and its 48-hour
    customer-service window starts now."""
    now = clock.now()
    changes: dict = {"last_message_at": now, "subscribed": True}
    if subscribing:
        changes.update(subscribed_at=now, unsubscribed_at=None)
    return bool(await repo.update_follower(openid, **changes))


async def follower_touched(openid: str, *, subscribing: bool = False) -> FollowerInfo:
    """The follower for ``openid``, created if new (any message, menu click or subscription)."""
    if not await follower_seen(openid, subscribing=subscribing):
        created = await repo.create_follower_once(openid, clock.now())
        if created is not None:
            return FollowerInfo.model_validate(created)
        await follower_seen(openid, subscribing=subscribing)  # WeChat's retry or a second event raced us
    row = await repo.follower_by_openid(openid)
    assert row is not None  # just seen or created
    return FollowerInfo.model_validate(row)


async def follower_left(openid: str) -> None:
    """Unsubscribed (the event), or WeChat says the openid no longer follows the account."""
    await repo.update_follower(openid, subscribed=False, unsubscribed_at=clock.now())


async def set_follower_unionid(follower_id: int, unionid: str) -> None:
    await repo.set_follower_unionid(follower_id, unionid)


async def followers_without_unionid(limit: int = 100) -> list[FollowerInfo]:
    """Subscribed followers whose unionid lookup has not succeeded yet."""
    return [FollowerInfo.model_validate(row) for row in await repo.followers_without_unionid(limit)]


async def follower_account(openid: str) -> Account | None:
    """The account behind a follower: an explicit link, else the citizen with the same unionid."""
    follower = await repo.follower_by_openid(openid)
    if follower is None:
        return None
    if follower.user_id:
        return _account(await repo.get_user(follower.user_id))
    if follower.unionid:
        return _account(await repo.citizen_by_unionid(follower.unionid))
    return None


async def subscribed_follower(user_id: int, unionid: str | None) -> FollowerInfo | None:
    """The subscribed follower of an account: linked by user id, or by the same unionid."""
    return _follower(await repo.subscribed_follower(user_id, unionid))


async def link_follower(oa_openid: str, user_id: int) -> FollowerInfo:
    """Link a follower to an account explicitly (staff, whose accounts have no unionid)."""
    follower = await repo.follower_by_openid(oa_openid)
    if follower is None:
        raise ApiError(404, "NOT_FOUND", "该用户尚未关注公众号")
    if not await repo.user_exists(user_id):
        raise ApiError(404, "NOT_FOUND", "账号不存在")
    await repo.link_follower(follower.id, user_id)
    follower.user_id = user_id
    return FollowerInfo.model_validate(follower)
