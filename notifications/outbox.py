"""Writing to the outbox. Call inside the unit of work that makes the change; never send here.

Each write asks the unit of work (``citizen_api.db``) to wake the dispatcher of its AppState
once it has committed (once per unit): the in-process dispatcher sends the rows, the Redis one
queues an arq job per row. Rows are never lost to a missed wake-up: both sweep due rows anyway.
"""

from __future__ import annotations

from typing import Any

from citizen_api import clock, db
from notifications.models import Notification

_WAKE_KEY = "notifications.outbox.wake"


def _wake(state) -> None:
    dispatcher = state.dispatcher
    if dispatcher is not None:  # None in the CLI and while the app stops
        dispatcher.kick()


async def _wake_after_commit() -> None:
    state = db.current_state()
    if state is not None:
        await db.after_commit(lambda: _wake(state), key=_WAKE_KEY)


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
        await _wake_after_commit()
        return row.id
    # ON CONFLICT DO NOTHING: safe under races and does not abort a PostgreSQL transaction
    await Notification.bulk_create([row], ignore_conflicts=True)
    await _wake_after_commit()
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
    await _wake_after_commit()
