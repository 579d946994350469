"""Writing to the outbox: the part of notifications the domains use. Call inside the unit of work
that makes the change; never send here.

Each write asks the unit of work (``citizen_api.db``) to wake the dispatcher of its AppState
once it has committed (once per unit): the in-process dispatcher sends the rows, the Redis one
queues an arq job per row. Rows are never lost to a missed wake-up: both sweep due rows anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citizen_api import clock, db
from notifications import repository as repo
from notifications import rules

_WAKE_KEY = "notifications.outbox.wake"


def _wake(state) -> None:
    dispatcher = state.dispatcher
    if dispatcher is not None:  # None in the CLI and while the app stops
        dispatcher.kick()


async def _wake_after_commit() -> None:
    state = db.current_state()
    if state is not None:
        await db.after_commit(lambda: _wake(state), key=_WAKE_KEY)


def insert_select(*, source: str, user: str, event: str, payload: str, now: str) -> str:
    """The SQL of :func:`enqueue` as a data-modifying ``WITH`` part (PostgreSQL), for a write that must be
    one statement (a booking in a release rush: its slot's row lock is held for no round trip); call
    :func:`wake_after_commit` once it has run."""
    return repo.insert_select_sql(source=source, user=user, event=event, payload=payload, now=now)


async def wake_after_commit() -> None:
    """Wake the dispatcher once the current unit commits (now, outside any)."""
    await _wake_after_commit()


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
    row = {
        "user_id": user_id,
        "audience": audience,
        "event": event,
        "payload": payload or {},
        "dedupe_key": dedupe_key,
        "next_attempt_at": clock.now(),
    }
    row_id = None
    if dedupe_key is None:
        row_id = await repo.insert(**row)
    else:
        await repo.insert_once(**row)
    await _wake_after_commit()
    return row_id


async def enqueue_many(
    messages: Iterable[tuple[int, str, dict[str, Any], str | None]], *, audience: str = "citizen"
) -> None:
    """Record many messages at once — ``(user_id, event, payload, dedupe_key)`` each — in one INSERT per
    thousand (a lottery tells tens of thousands of losers: one INSERT each was 1.4 ms a row). Each is
    written once per dedupe key, as :func:`enqueue` with a key does.

    A message the rules decline on its own (``rules.decide``: a bundle's child, whose bundle tells the
    citizen) is written ``skipped`` with the rules' reason, as a sender would mark it, instead of
    waiting for one to claim, decline and mark it (three queries a row for a bundle of four)."""
    now = clock.now()
    rows = []
    for user_id, event, payload, dedupe_key in messages:
        row = {
            "user_id": user_id,
            "audience": audience,
            "event": event,
            "payload": payload,
            "dedupe_key": dedupe_key,
            "next_attempt_at": now,
        }
        channels, why_not = rules.decide(event, audience, payload)
        if not channels:
            row.update(status="skipped", reason=(why_not or "rule declined")[:200])
        rows.append(row)
    if rows:
        await repo.insert_many_once(rows)
    if any("status" not in row for row in rows):
        await _wake_after_commit()


async def enqueue_text_to_follower(oa_openid: str, text: str, *, user_id: int = 0) -> None:
    """A customer-service text to an official-account follower (the bot's slow answers)."""
    await repo.insert(
        user_id=user_id,
        event="bot.followup",
        payload={"text": text},
        to_openid=oa_openid,
        next_attempt_at=clock.now(),
    )
    await _wake_after_commit()


async def written_dedupe_keys(keys: Iterable[str]) -> set[str]:
    """The dedupe keys among ``keys`` already written (a job skips the messages it sent before)."""
    return await repo.written_keys(keys)


async def dedupe_prefix_written(prefix: str) -> bool:
    """Whether any row's dedupe key starts with ``prefix`` (one per recipient, e.g. ``x:12:``)."""
    return await repo.key_prefix_written(prefix)
