"""The draw of a lottery day, run by the periodic job ``lottery_draws`` (also ``onetrip appointments
draw-lotteries``): idempotent, and safe with two runners at once.

1. One unit of work per draw: ``open → drawn`` by a conditional UPDATE (the second runner waits for
   the first one's commit, then changes nothing and leaves); the digest and the draw's order over
   the sorted registration ids (``lottery_rank``); winners booked in that order through the booking
   repository — the slot's conditional UPDATE, the appointment's unique key, the weekly quota — each
   in a savepoint, so a refused one is ``ineligible`` and the next in order takes the place; exactly
   the day's free places are given; a message to each winner; every other registration ``lost``.
2. Then the losers, in the draw's order, a chunk per unit of work: a message each and, when they
   asked, a place on the day's waiting list. A cursor (``losers_done``) moved by a conditional
   UPDATE in the chunk's own unit of work makes two runners share the work and every chunk's
   messages (written in batches, ``outbox.enqueue_many``) commit exactly once (a crash rolls the
   chunk and its cursor back together; the messages carry dedupe keys too).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.lottery_rank import draw_order, entries_digest
from citizen_api.appointments.models import LotteryDraw, Slot
from citizen_api.appointments.repository import bookings, counters
from citizen_api.appointments.repository import lottery as repo
from citizen_api.appointments.retry import Unit, in_unit
from citizen_api.appointments.rules import week_of
from citizen_api.appointments.schedule import ensure_slots
from citizen_api.appointments.transitions import LOST
from citizen_api.appointments.views import message_payload
from citizen_api.catalog import service as catalog
from citizen_api.jobs import JobContext
from notifications import outbox

LOSERS_CHUNK = 5000
# a registration checked just before the close may still be committing: the draw waits this long after
# the close (whatever draw_at says), so every registration it draws over has committed
CLOSING_GRACE = timedelta(seconds=10)
_NO_PLACE = object()  # every slot of the day is full


class _Full(Exception):
    pass


class _Refused(Exception):
    pass


async def run_lottery_draws(ctx: JobContext) -> int:
    """Periodic job: draw every lottery whose time has come, then tell the losers."""
    return await draw_due(ctx.now, ctx.settings, ctx.atomic)


async def draw_due(now: datetime, settings, unit: Unit) -> int:
    """Draw the due draws and tell their losers; returns how many draws this runner drew."""
    drawn = await draw_ready(now, settings, unit)
    await tell_all_losers(unit)
    return drawn


async def draw_ready(now: datetime, settings, unit: Unit) -> int:
    """Step 1 for every draw whose time has come, a unit of work each; how many this runner drew."""
    drawn = 0
    for draw_id in await repo.due_draw_ids(now, now - CLOSING_GRACE):
        if await in_unit(unit, lambda draw_id=draw_id: make_draw(draw_id, settings, now)):
            drawn += 1
    return drawn


async def tell_all_losers(unit: Unit) -> int:
    """Step 2 for every drawn draw whose losers are not all told; how many this runner told."""
    return sum([await tell_losers(draw_id, unit) for draw_id in await repo.draws_telling_losers()])


async def _day_slots(draw: LotteryDraw, now: datetime) -> list[Slot]:
    mode = await day_mode(draw.date)
    if not mode.is_open:
        return []
    await ensure_slots([draw.group_id], draw.date, mode.kind)
    return await bookings.slots_of([draw.group_id], draw.date, mode.kind, now)


def _free(slot: Slot, reserved_percent: int) -> int:
    return max(0, slot.capacity - (slot.capacity * reserved_percent) // 100 - slot.booked)


async def make_draw(draw_id: int, settings, now: datetime) -> bool:
    """Inside the caller's unit of work: make the draw unless another runner has. True if made."""
    if not await repo.claim_draw(draw_id, now):
        return False
    draw = await repo.draw_by_id(draw_id)
    assert draw is not None
    entries = {row["id"]: row for row in await repo.entries_of(draw_id)}
    reserved = settings.booking_staff_reserved_percent
    slots = await _day_slots(draw, now)
    places = sum(_free(s, reserved) for s in slots)
    names: dict[str, str] = {}
    suspended = await repo.suspended_user_ids(clock.today())
    won: dict[int, int] = {}  # entry → appointment
    ineligible: list[int] = []
    for entry_id in draw_order(draw.seed, entries):
        if len(won) >= places:
            break
        entry = entries[entry_id]
        booked = None
        if entry["user_id"] not in suspended:
            booked = await _book_winner(entry, slots, settings, reserved)
        if booked is _NO_PLACE:  # a staff booking took a counted place meanwhile
            break
        if booked is None:
            ineligible.append(entry_id)
            continue
        appointment, slot = booked
        won[entry_id] = appointment.id
        payload = message_payload(appointment, slot, await _item_name(names, entry["item_code"]))
        await outbox.enqueue(
            entry["user_id"],
            "appointment.lottery_won",
            {**payload, "lottery_id": draw.id, "entry_id": entry_id},
            dedupe_key=f"lottery:won:{entry_id}",
        )
    # the table's moves, in two statements (the draw's claim keeps every other runner out)
    if await repo.mark_won(won) != len(won) or await repo.mark_ineligible(ineligible) != len(ineligible):
        raise RuntimeError(f"lottery {draw_id}: registrations changed during the draw")  # rolls it back
    await repo.lose_the_rest(draw_id)
    await repo.set_result(
        draw_id, entries_digest=entries_digest(entries), entries=len(entries), places=places, winners=len(won)
    )
    return True


async def _item_name(names: dict[str, str], code: str) -> str:
    if code not in names:
        item = await catalog.item_by_code(code)
        names[code] = item.name if item else code
    return names[code]


async def _book_winner(entry: dict, slots: list[Slot], settings, reserved: int):
    """(appointment, slot) in the first slot with a place; None when the rules refuse this person
    (already booked that day, weekly limit); ``_NO_PLACE`` when every slot is full."""
    person = entry["person"]
    while slots:
        slot = slots[0]
        try:
            async with db.atomic():  # a savepoint: a refusal undoes this person's place only
                taken = await counters.take_slot_place(slot.id, reserved)
                if taken is None:
                    raise _Full
                appointment = await bookings.create_appointment(
                    entry["user_id"], entry["item_id"], slot, "lottery", person=person
                )
                if not await counters.take_weekly_quota(
                    person, entry["user_id"], week_of(slot.date), settings.booking_weekly_limit
                ):
                    raise _Refused
                slot.booked = taken
                return appointment, slot
        except _Full:
            slots.pop(0)
        except (IntegrityError, _Refused):
            return None
    return _NO_PLACE


async def tell_losers(draw_id: int, unit: Unit, chunk: int = LOSERS_CHUNK) -> int:
    """Tell the losers in the draw's order, ``chunk`` registrations per unit of work, from where
    the cursor stands; returns how many were told by this runner."""
    draw = await repo.draw_by_id(draw_id)
    if draw is None or draw.losers_done >= draw.entries:
        return 0
    entries = {row["id"]: row for row in await repo.entries_of(draw_id)}
    order = draw_order(draw.seed, entries)
    wanting = [i for i in order if entries[i]["status"] == LOST and entries[i]["waitlist"]]
    slots = await _day_slots(draw, clock.now()) if wanting else []
    place_in_line = {entry_id: k for k, entry_id in enumerate(wanting)}  # slot k mod S (lottery_rank)
    names: dict[str, str] = {}
    told, start = 0, draw.losers_done
    while start < len(order):
        end = min(start + chunk, len(order))

        async def work(start=start, end=end) -> int:
            if not await repo.advance_losers(draw_id, start, end):
                return -1  # another runner took this chunk
            messages, waits = [], []
            for entry_id in order[start:end]:
                entry = entries[entry_id]
                if entry["status"] != LOST:
                    continue
                waiting = entry_id in place_in_line and bool(slots)
                if waiting:
                    slot = slots[place_in_line[entry_id] % len(slots)]
                    waits.append((slot.id, entry["user_id"], entry["item_id"]))
                payload = {
                    "item_name": await _item_name(names, entry["item_code"]),
                    "date": draw.date.isoformat(),
                    "lottery_id": draw.id,
                    "entry_id": entry_id,
                    "waitlist": waiting,
                    "note": "已为您加入当天候补" if waiting else "感谢参与",
                }
                messages.append(
                    (entry["user_id"], "appointment.lottery_lost", payload, f"lottery:lost:{entry_id}")
                )
            # one INSERT per thousand each; they commit with the chunk's cursor (messages carry dedupe keys)
            await repo.add_waits(waits)
            await outbox.enqueue_many(messages)
            return len(messages)

        done = await in_unit(unit, work)
        if done < 0:
            fresh = await repo.draw_by_id(draw_id)
            start = fresh.losers_done if fresh else len(order)
            continue
        told += done
        start = end
    return told
