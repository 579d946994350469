"""Every query on the bot's own records (used when Redis is not configured, see ``bots.store``)."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from bots.models import BotNonce, BotReply


async def remember_nonce(key: str, digest: str, now: datetime, ttl: int) -> bool:
    """True for the first use of ``key`` and a repeat with the same body ``digest``; False for a
    live key seen with another body. An expired record is taken over."""
    for _ in range(2):
        try:
            await BotNonce.create(key=key, digest=digest, expires_at=now + timedelta(seconds=ttl))
            return True
        except IntegrityError:
            row = await BotNonce.get_or_none(key=key)
            if row is not None and row.expires_at >= now:
                return hmac.compare_digest(row.digest.encode(), digest.encode())
            await BotNonce.filter(key=key, expires_at__lt=now).delete()  # expired: take it over
    return False


async def claim_reply(key: str, now: datetime, expires_at: datetime) -> bool:
    """Insert the reply record of ``key``; False when a live one exists. Expired ones are replaced."""
    for _ in range(2):
        try:
            await BotReply.create(key=key, expires_at=expires_at)
            return True
        except IntegrityError:
            removed = await BotReply.filter(key=key, expires_at__lt=now).delete()
            if not removed:
                return False
    return False


async def reply_of(key: str) -> str | None:
    """The answer recorded for ``key`` (None while the first request is still working)."""
    row = await BotReply.get_or_none(key=key)
    return row.reply if row is not None else None


async def finish_reply(key: str, reply: str) -> None:
    await BotReply.filter(key=key).update(reply=reply)


async def release_reply(key: str) -> None:
    await BotReply.filter(key=key, reply=None).delete()


async def purge_expired(now: datetime) -> int:
    nonces = await BotNonce.filter(expires_at__lt=now).delete()
    replies = await BotReply.filter(expires_at__lt=now).delete()
    return nonces + replies
