"""Writing to the outbox. Call inside the transaction that makes the change; never send here.

The dispatcher (in-process loop, or arq jobs on Redis) picks rows up after commit.
"""

from __future__ import annotations

import contextvars
from typing import Any

from citizen_api import clock
from notifications.models import Notification

# Set when a request wrote outbox rows, so the endpoint layer can wake the dispatcher after commit.
wrote_rows: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_wrote_rows", default=False)


async def enqueue(
    user_id: int,
    event: str,
    payload: dict[str, Any] | None = None,
    *,
    audience: str = "citizen",
    dedupe_key: str | None = None,
) -> int | None:
    """Record a message for ``user_id``; returns the row id. With ``dedupe_key`` the call returns
    None and is a no-op when that key was written before."""
    row = Notification(
        user_id=user_id,
        audience=audience,
        event=event,
        payload=payload or {},
        dedupe_key=dedupe_key,
        next_attempt_at=clock.now(),
    )
    if dedupe_key is None:
        await row.save()
        wrote_rows.set(True)
        return row.id
    # ON CONFLICT DO NOTHING: safe under races and does not abort a PostgreSQL transaction
    await Notification.bulk_create([row], ignore_conflicts=True)
    wrote_rows.set(True)
    return None


async def enqueue_text_to_follower(oa_openid: str, text: str, *, user_id: int = 0) -> None:
    """A customer-service text to an official-account follower (the bot's slow answers)."""
    await Notification.create(
        user_id=user_id,
        event="bot.followup",
        payload={"text": text},
        to_openid=oa_openid,
        next_attempt_at=clock.now(),
    )
    wrote_rows.set(True)
