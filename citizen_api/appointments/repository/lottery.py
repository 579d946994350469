"""Lottery days (摇号): the draws and each person's registration (``transitions.LOTTERY_*``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from tortoise.expressions import Q

from citizen_api.appointments.models import BookingSuspension, LotteryDraw, LotteryEntry, WaitlistEntry
from citizen_api.appointments.repository.lifecycles import move
from citizen_api.appointments.repository.sql import run
from citizen_api.appointments.transitions import (
    DRAWN,
    INELIGIBLE,
    LOST,
    LOTTERY_DRAWS,
    LOTTERY_ENTRIES,
    OPEN,
    REGISTERED,
    WON,
)

# -- draws ------------------------------------------------------------------------------------------


async def create_draw(**values: Any) -> LotteryDraw:
    """INSERT; the unique ``scope_key`` raises IntegrityError for a second draw of the same day."""
    return await LotteryDraw.create(**values)


async def draw_by_id(draw_id: int) -> LotteryDraw | None:
    return await LotteryDraw.filter(id=draw_id).select_related("group__office", "item").first()


async def draws_from(day: date, limit: int = 200) -> list[LotteryDraw]:
    query = LotteryDraw.filter(date__gte=day).select_related("group__office", "item")
    return await query.order_by("date", "id").limit(limit)


def _scoped(group_ids: Sequence[int], item_id: int | None):
    query = LotteryDraw.filter(group_id__in=list(group_ids))
    if item_id is not None:
        query = query.filter(Q(item_id=None) | Q(item_id=item_id))
    return query


async def draw_for(group_ids: Sequence[int], item_id: int, day: date) -> LotteryDraw | None:
    """The lottery of ``day`` for the item (its group's, or the item's own)."""
    if not group_ids:
        return None
    query = _scoped(group_ids, item_id).filter(date=day).select_related("group__office", "item")
    return await query.order_by("id").first()


async def lottery_days(group_ids: Sequence[int], item_id: int | None) -> set[date]:
    """Days of draws not made yet (once drawn, the places left are first come)."""
    if not group_ids:
        return set()
    return set(await _scoped(group_ids, item_id).filter(status=OPEN).values_list("date", flat=True))


async def registrations_count(draw_id: int) -> int:
    return await LotteryEntry.filter(draw_id=draw_id).count()


async def due_draw_ids(now: datetime, closed_before: datetime) -> list[int]:
    """Open draws whose time has come and whose registration closed before ``closed_before`` (UTC:
    SQLite compares stored times as text)."""
    due, closed = now.astimezone(UTC), closed_before.astimezone(UTC)
    query = LotteryDraw.filter(status=OPEN, draw_at__lte=due, registration_closes_at__lte=closed)
    return list(await query.order_by("draw_at", "id").values_list("id", flat=True))


async def draws_telling_losers() -> list[int]:
    """Drawn draws whose losers are not all told yet."""
    rows = await run(
        "SELECT id FROM appt_lottery_draws WHERE status = $1 AND losers_done < entries ORDER BY id", DRAWN
    )
    return [int(r["id"]) for r in rows]


async def claim_draw(draw_id: int, now: datetime) -> bool:
    """``open → drawn``: one conditional UPDATE, so of two runners exactly one draws (the other
    waits for its commit and then finds nothing to change)."""
    return await move(LotteryDraw, LOTTERY_DRAWS, draw_id, "draw", drawn_at=now)


async def set_result(draw_id: int, **values: Any) -> None:
    await LotteryDraw.filter(id=draw_id).update(**values)


async def advance_losers(draw_id: int, done: int, to: int) -> bool:
    """Move the losers' cursor from ``done`` to ``to``; False when another runner moved it first."""
    return await LotteryDraw.filter(id=draw_id, losers_done=done).update(losers_done=to) == 1


# -- registrations ----------------------------------------------------------------------------------


async def create_entry(
    draw_id: int, user_id: int, person: str, item_id: int, item_code: str, waitlist: bool, now: datetime
) -> LotteryEntry | None:
    """One statement; None when the person is registered already (the unique (draw, person) key
    decides, racing or not, and no transaction is left aborted)."""
    rows = await run(
        "INSERT INTO appt_lottery_entries (draw_id, user_id, person, item_id, item_code, waitlist, status, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (draw_id, person) DO NOTHING RETURNING id",
        draw_id,
        user_id,
        person,
        item_id,
        item_code,
        waitlist,
        REGISTERED,
        now.astimezone(UTC),
    )
    if not rows:
        return None
    return LotteryEntry(
        id=int(rows[0]["id"]), draw_id=draw_id, user_id=user_id, person=person, item_id=item_id,
        item_code=item_code, waitlist=waitlist, status=REGISTERED, created_at=now,
    )  # fmt: skip


async def bulk_entries(rows: Iterable[dict[str, Any]], batch_size: int = 5000) -> None:
    """Many registrations at once (the bench; seeds): rows of draw_id, user_id, person, item_id."""
    await LotteryEntry.bulk_create([LotteryEntry(**row) for row in rows], batch_size=batch_size)


async def entry_of(entry_id: int, user_id: int) -> LotteryEntry | None:
    query = LotteryEntry.filter(id=entry_id, user_id=user_id)
    return await query.select_related("draw__group__office", "draw__item").first()


async def my_entries(user_id: int, limit: int = 50) -> list[LotteryEntry]:
    query = LotteryEntry.filter(user_id=user_id).select_related("draw__group__office", "draw__item")
    return await query.order_by("-id").limit(limit)


async def entries_of(draw_id: int) -> list[dict]:
    """Every registration of a draw: id, user_id, person, item_id, item_code, waitlist, status."""
    return await LotteryEntry.filter(draw_id=draw_id).values(
        "id", "user_id", "person", "item_id", "item_code", "waitlist", "status"
    )


async def move_entry(entry_id: int, action: str, **fields: Any) -> bool:
    return await move(LotteryEntry, LOTTERY_ENTRIES, entry_id, action, **fields)


async def mark_won(won: dict[int, int]) -> int:
    """``registered → won`` for many entries at once, each with its appointment: one statement."""
    if not won:
        return 0
    cases = " ".join(f"WHEN {int(entry)} THEN {int(appointment)}" for entry, appointment in won.items())
    sources = ", ".join(f"'{s}'" for s in LOTTERY_ENTRIES.sources("win"))
    rows = await run(
        f"UPDATE appt_lottery_entries SET status = $1, appointment_id = CASE id {cases} END "
        f"WHERE id IN ({', '.join(str(int(i)) for i in won)}) AND status IN ({sources}) RETURNING id",
        LOTTERY_ENTRIES.target("win"),
    )
    return len(rows)


async def mark_ineligible(entry_ids: list[int]) -> int:
    if not entry_ids:
        return 0
    query = LotteryEntry.filter(id__in=entry_ids, status__in=list(LOTTERY_ENTRIES.sources("disqualify")))
    return await query.update(status=LOTTERY_ENTRIES.target("disqualify"))


async def suspended_user_ids(today: date) -> set[int]:
    """Every citizen whose booking is suspended today (a few, however large the draw)."""
    return set(await BookingSuspension.filter(until__gt=today).values_list("user_id", flat=True))


async def lose_the_rest(draw_id: int) -> int:
    """Every registration still ``registered`` after the walk has lost: one statement."""
    return await LotteryEntry.filter(
        draw_id=draw_id, status__in=list(LOTTERY_ENTRIES.sources("lose"))
    ).update(status=LOTTERY_ENTRIES.target("lose"))


async def outcome_ids(draw_id: int) -> dict[str, list[int]]:
    """The drawn statuses' ids: won, ineligible (and every id, sorted)."""
    rows = await LotteryEntry.filter(draw_id=draw_id).order_by("id").values_list("id", "status")
    out: dict[str, list[int]] = {"ids": [], WON: [], INELIGIBLE: [], LOST: [], REGISTERED: []}
    for entry_id, status in rows:
        out["ids"].append(entry_id)
        out.setdefault(status, []).append(entry_id)
    return out


async def add_waits(waits: list[tuple[int, int, int]]) -> None:
    """Losers on waiting lists, in the given order (their place in line), ``(slot, user, item)`` each,
    one INSERT per thousand; one already waiting on that slot stays where they are (the unique
    ``active_key``, "<slot>:<user>" as ``bookings.create_wait`` writes it)."""
    rows = [
        WaitlistEntry(slot_id=slot_id, user_id=user_id, item_id=item_id, active_key=f"{slot_id}:{user_id}")
        for slot_id, user_id, item_id in waits
    ]
    if rows:
        await WaitlistEntry.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
