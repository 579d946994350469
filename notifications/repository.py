"""Every query on the outbox, the subscribe grants and the periodic-job runs.

Status changes of outbox rows go through :func:`_move` only: one conditional UPDATE whose WHERE
is the action's source statuses from ``notifications.transitions`` (plus the caller's own
conditions: due, the sender's attempt id), so a row that moved meanwhile is never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.functions import Count

from citizen_api import db
from notifications import transitions
from notifications.models import Notification, PeriodicRun, SubscribeGrant

# -- writing rows (notifications.outbox) ---------------------------------------------------------

# the columns a row needs when written by SQL (Tortoise's defaults are applied in Python, not by the
# table): see :func:`notifications.outbox.insert_select`
_INSERT_SELECT = (
    "INSERT INTO notifications (user_id, audience, event, payload, status, attempts, next_attempt_at, "
    "created_at) SELECT {user}, 'citizen', {event}, {payload}, 'pending', 0, {now}, {now} FROM {source} "
    "RETURNING id"
)


def insert_select_sql(*, source: str, user: str, event: str, payload: str, now: str) -> str:
    """``INSERT … SELECT`` of one citizen message per row of ``source`` (PostgreSQL), each argument an
    SQL expression over ``source``'s columns or a placeholder: for a caller's one-statement write."""
    return _INSERT_SELECT.format(source=source, user=user, event=event, payload=payload, now=now)


async def insert(**fields: Any) -> int:
    return (await Notification.create(**fields)).id


async def insert_once(**fields: Any) -> None:
    """ON CONFLICT DO NOTHING on the dedupe key: safe under races, no aborted PostgreSQL transaction."""
    await Notification.bulk_create([Notification(**fields)], ignore_conflicts=True)


async def insert_many_once(rows: list[dict[str, Any]]) -> None:
    """Many rows, each skipped when its dedupe key was written before (ON CONFLICT DO NOTHING)."""
    await Notification.bulk_create(
        [Notification(**row) for row in rows], ignore_conflicts=True, batch_size=1000
    )


async def written_keys(keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    return set(await Notification.filter(dedupe_key__in=wanted).values_list("dedupe_key", flat=True))


async def key_prefix_written(prefix: str) -> bool:
    return await Notification.filter(dedupe_key__startswith=prefix).exists()


# -- the row lifecycle ------------------------------------------------------------------------------
async def _move(action: str, *conditions: Q, **changes: Any) -> int:
    """Move the rows matching ``conditions`` by ``action`` of the table; how many moved."""
    return await Notification.filter(*conditions, status__in=transitions.sources(action)).update(
        status=transitions.target(action), **changes
    )


def due(now: datetime) -> Q:
    """Rows a sender may claim now: each source status of ``claim`` with its own condition."""
    when = {"pending": Q(next_attempt_at__lte=now), "sending": Q(lease_until__lt=now)}
    return reduce(or_, (Q(status=status) & when[status] for status in transitions.sources("claim")))


async def due_ids(now: datetime, limit: int) -> list[int]:
    return list(
        await Notification.filter(due(now))
        .order_by("next_attempt_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )


async def claim(row_id: int, now: datetime, attempt_id: str, lease_until: datetime) -> Notification | None:
    """The row taken for one attempt, or None when it is not due or another sender has it."""
    taken = await _move(
        "claim",
        due(now),
        Q(id=row_id),
        attempts=F("attempts") + 1,
        attempt_id=attempt_id,
        lease_until=lease_until,
    )
    if taken != 1:
        return None
    return await Notification.get_or_none(id=row_id, attempt_id=attempt_id)


async def finish(
    row_id: int, attempt_id: str | None, action: str, *, uncount: bool = False, **changes: Any
) -> bool:
    """End a sender's attempt (send, skip, retry, give_up); False when it no longer owns the row.
    ``uncount``: the attempt is not counted (a rate limit is no failure)."""
    if action not in transitions.OUTCOMES:
        raise ValueError(f"{action} does not end an attempt")
    if uncount:
        changes["attempts"] = F("attempts") - 1
    moved = await _move(action, Q(id=row_id, attempt_id=attempt_id), lease_until=None, **changes)
    return moved == 1


async def hold_grant(row_id: int, attempt_id: str | None, template_id: str) -> bool:
    """Record on a row being sent (by this attempt) that it holds a subscribe grant."""
    held = await Notification.filter(
        id=row_id, attempt_id=attempt_id, status=transitions.target("claim")
    ).update(grant_template_id=template_id, grant_status="held")
    return held == 1


async def requeue_dead(ids: list[int] | None, now: datetime) -> int:
    """Dead rows (all, or those of ``ids``) back to pending with a fresh attempt budget."""
    conditions = [Q(id__in=ids)] if ids is not None else []
    return await _move(
        "requeue", *conditions, attempts=0, next_attempt_at=now, lease_until=None, attempt_id=None
    )


async def page(status: str, event: str | None, offset: int, limit: int) -> tuple[int, list[Notification]]:
    rows = Notification.filter(status=status)
    if event:
        rows = rows.filter(event=event)
    total = await rows.count()
    return total, await rows.order_by("-id").offset(offset).limit(limit)


async def status_counts() -> dict[str, int]:
    rows = await Notification.all().group_by("status").annotate(n=Count("id")).values("status", "n")
    return {row["status"]: row["n"] for row in rows}


# -- subscribe grants ---------------------------------------------------------------------------------
async def add_grant(user_id: int, template_id: str, cap: int) -> None:
    """One more grant (at most ``cap`` kept), the row created on the first."""
    if await _add_grant(user_id, template_id, cap):
        return
    try:
        async with db.atomic():  # a savepoint: a lost race does not abort the request's transaction
            await SubscribeGrant.create(
                user_id=user_id, template_id=template_id, available=1, accepted_total=1
            )
    except IntegrityError:
        # the row exists (at the cap, or created just now by a concurrent report)
        await _add_grant(user_id, template_id, cap)


async def _add_grant(user_id: int, template_id: str, cap: int) -> int:
    return await SubscribeGrant.filter(user_id=user_id, template_id=template_id, available__lt=cap).update(
        available=F("available") + 1, accepted_total=F("accepted_total") + 1
    )


async def grants_available(user_id: int, template_id: str) -> int:
    grant = await SubscribeGrant.get_or_none(user_id=user_id, template_id=template_id)
    return grant.available if grant else 0


async def grants_by_template(user_id: int) -> dict[str, int]:
    rows = await SubscribeGrant.filter(user_id=user_id).values("template_id", "available")
    return {row["template_id"]: row["available"] for row in rows}


async def spend_grant(user_id: int, template_id: str) -> bool:
    taken = await SubscribeGrant.filter(user_id=user_id, template_id=template_id, available__gt=0).update(
        available=F("available") - 1
    )
    return taken == 1


async def refund_grant(user_id: int, template_id: str) -> None:
    await SubscribeGrant.filter(user_id=user_id, template_id=template_id).update(available=F("available") + 1)


# -- periodic-job runs ----------------------------------------------------------------------------------
async def claim_run(name: str, now: datetime, following: datetime) -> bool:
    """Take the job's run for this interval: its row moved on, or created first."""
    taken = await PeriodicRun.filter(name=name, next_run_at__lte=now).update(
        next_run_at=following, last_started_at=now
    )
    if taken:
        return True
    if await PeriodicRun.exists(name=name):
        return False
    try:
        await PeriodicRun.create(name=name, next_run_at=following, last_started_at=now)
    except IntegrityError:
        return False  # another process created it first and runs it
    return True


async def record_run(name: str, result: str) -> None:
    await PeriodicRun.filter(name=name).update(last_result=result)
