"""Sending one outbox row: claim, send, mark — the row's state is the guard against double sends.

1. **Claim** with one conditional UPDATE: ``pending`` and due (or ``sending`` with its lease run
   out: a sender that crashed) → ``sending``, ``attempts + 1``, a fresh ``attempt_id`` and a lease.
   Only one sender's UPDATE matches, so a job that runs twice (arq retry, two sweeps, two API
   processes) sends once.
2. **Send** through the first channel that can deliver (``notifications.actions``).
3. **Mark** ``sent``/``skipped``/retry/``dead`` with an UPDATE that also requires the same
   ``attempt_id``: a sender that lost its lease can never overwrite its successor's outcome.

Every move is one of ``notifications.transitions``' table (``notifications.repository`` applies
it). The in-process loop (``notifications.in_process``) and the arq job (``notifications.worker``)
both call :func:`process`.

What remains is the gap between WeChat accepting a message and step 3 committing: a SIGKILL
there leaves the row ``sending``; when its lease runs out it is claimed again and re-sent
(at-least-once — a lost message is worse than a repeated one). The attempt id of the interrupted
try stays in the log. Template messages carry ``client_msg_id = onetrip-<row id>``, which WeChat
uses to drop such a repeat within 10 minutes; subscribe and customer-service messages have no
such key, so a kill in that window can repeat one of them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog

from citizen_api import clock
from citizen_api.wechat.gateway import WeChatApiError, WeChatUnavailable
from citizen_api.wechat.messages import WeChatMessenger, WeChatRateLimited, messenger_for
from notifications import repository as repo
from notifications import transitions
from notifications.actions import (
    Delivery,
    LeaseLost,
    PermanentFailure,
    Sent,
    Skipped,
    deliver,
    refund_held_grant,
)
from notifications.config import TemplatesConfig, templates_for
from notifications.models import Notification

log = structlog.get_logger("onetrip.notifications")


@dataclass
class Runtime:
    """What sending needs, built once per process (API lifespan or worker start-up)."""

    settings: Any
    messenger: WeChatMessenger
    templates: TemplatesConfig

    @classmethod
    def for_state(cls, state) -> Runtime:
        return cls(state.settings, messenger_for(state), templates_for(state.settings))


async def due_ids(limit: int) -> list[int]:
    """The rows a sender may claim now, oldest due first."""
    return await repo.due_ids(clock.now(), limit)


async def claim(row_id: int, settings) -> Notification | None:
    """Take the row for one attempt, or None when it is not due or someone else has it."""
    now = clock.now()
    lease_until = now + timedelta(seconds=settings.notify_lease_seconds)
    return await repo.claim(row_id, now, uuid.uuid4().hex, lease_until)


async def process(row_id: int, runtime: Runtime) -> str:
    """Claim, send and mark one row; returns what became of it. Never raises for WeChat trouble."""
    row = await claim(row_id, runtime.settings)
    if row is None:
        return "not-due"
    if row.attempts > 1:
        log.info("retrying notification", id=row.id, attempt=row.attempts, attempt_id=row.attempt_id)
    delivery = Delivery(row, runtime.messenger, runtime.templates, runtime.settings)
    try:
        outcome = await deliver(delivery)
    except LeaseLost:
        log.warning("notification taken over before it was sent", id=row.id, attempt_id=row.attempt_id)
        return "lost-lease"
    except PermanentFailure as exc:
        return await _mark_dead(row, str(exc))
    except WeChatRateLimited as exc:
        return await _release(row, f"rate limited: {exc}", delay=max(1.0, exc.retry_after), counts=False)
    except (WeChatUnavailable, WeChatApiError) as exc:
        return await _failed(row, runtime.settings, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug must not wedge the row in "sending" until its lease ends
        log.exception("notification crashed", id=row.id)
        return await _failed(row, runtime.settings, f"{type(exc).__name__}: {exc}")
    if isinstance(outcome, Sent):
        return await _mark(
            row,
            "send",
            channel=outcome.channel,
            recipient=outcome.recipient,
            wechat_msgid=outcome.msgid,
            sent_at=clock.now(),
            last_error=None,
            reason=None,
        )
    assert isinstance(outcome, Skipped)
    return await _mark(row, "skip", reason=outcome.reason[:200])


async def _mark(row: Notification, action: str, *, uncount: bool = False, **fields: Any) -> str:
    """End this attempt by ``action`` (send, skip, retry, give_up); returns the row's new status,
    or "lost-lease" when another sender took the row over meanwhile."""
    ended = await repo.finish(
        row.id,
        row.attempt_id,
        action,
        uncount=uncount,
        grant_template_id=row.grant_template_id,
        grant_status=row.grant_status,
        **fields,
    )
    if not ended:
        log.warning("notification taken over before it was marked", id=row.id, attempt_id=row.attempt_id)
        return "lost-lease"
    status = transitions.target(action)
    log.info("notification " + status, id=row.id, about=row.event, channel=fields.get("channel"))
    return status


def backoff_seconds(attempts: int, settings) -> float:
    base = settings.notify_backoff_base_seconds * (2 ** max(0, attempts - 1))
    return min(settings.notify_backoff_max_seconds, base) * random.uniform(0.8, 1.2)


async def _failed(row: Notification, settings, error: str) -> str:
    if row.attempts >= settings.notify_max_attempts:
        return await _mark_dead(row, error)
    return await _release(row, error, delay=backoff_seconds(row.attempts, settings), counts=True)


async def _release(row: Notification, error: str, *, delay: float, counts: bool) -> str:
    """Back to pending for a later try; rate limits do not count as failed attempts."""
    log.warning("notification will be retried", id=row.id, error=error, delay=round(delay, 1))
    await _mark(
        row,
        "retry",
        next_attempt_at=clock.now() + timedelta(seconds=delay),
        last_error=error[:2000],
        uncount=not counts,
    )
    return "retry"


async def _mark_dead(row: Notification, error: str) -> str:
    await refund_held_grant(row)
    log.error("notification is dead", id=row.id, about=row.event, error=error)
    await _mark(row, "give_up", last_error=error[:2000])
    return "dead"
