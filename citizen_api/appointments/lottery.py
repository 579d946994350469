"""Lottery days (摇号): an admin gives a day's places to a public draw; each person registers once.

At creation the server makes the seed and publishes only its hash (``lottery_rank``); the seed is
shown once the draw is made (``lottery_draw``), with the digest of the registration ids drawn over,
so anyone can recompute the winners. A registration is one INSERT whose unique (draw, person) key —
the ID number's blind index — refuses a person's second one, across WeChat accounts, even racing.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.lottery_rank import new_seed, seed_hash
from citizen_api.appointments.models import LotteryDraw, LotteryEntry
from citizen_api.appointments.repository import bookings, halls
from citizen_api.appointments.repository import lottery as repo
from citizen_api.appointments.retry import Unit
from citizen_api.appointments.rules import bookable_item
from citizen_api.appointments.schemas_lottery import DrawAdminOut, DrawIn, DrawPublic, EntryOut, RegisterBody
from citizen_api.appointments.transitions import DRAWN, LOTTERY_ENTRIES, OPEN, WON
from citizen_api.appointments.views import appointment_out
from citizen_api.audit.service import record
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users

# -- which days are lottery days (asked on every booking attempt: cached a moment per process) -----
# Kept in the AppState (``state.extras``) of the request: one app's answers never leak to another's.
CACHE_SECONDS = 2.0
_CACHE_KEY = "appointments.lottery"


def _cache(state) -> dict | None:
    if state is None:
        return None
    table = state.extras.setdefault(_CACHE_KEY, {})
    if len(table) > 4096:
        table.clear()
    return table


def _stamp() -> tuple[float, float]:
    return time.monotonic(), clock.now().timestamp()


def _fresh(stamp: tuple[float, float]) -> bool:
    """Younger than CACHE_SECONDS by the process's clock and by the service clock (tests move it)."""
    mono, service = stamp
    return time.monotonic() - mono < CACHE_SECONDS and abs(clock.now().timestamp() - service) < CACHE_SECONDS


async def _remembered(state, key, make):
    """``await make()``, reused CACHE_SECONDS per process; concurrent misses share one query (a rush
    starts thousands of requests before the first answer is back). Errors are not kept."""
    table = _cache(state)
    if table is None:
        return await make()
    hit = table.get(key)
    if hit is not None and _fresh(hit[0]):
        value = hit[1]
        return await asyncio.shield(value) if isinstance(value, asyncio.Future) else value
    if db.current_unit() is not None:  # never share a query run on one request's transaction
        value = await make()
        table[key] = (_stamp(), value)
        return value
    future = asyncio.ensure_future(make())
    table[key] = (_stamp(), future)
    try:
        value = await asyncio.shield(future)
    except BaseException:
        if table.get(key, (0, None))[1] is future:
            del table[key]
        raise
    if table.get(key, (0, None))[1] is future:
        table[key] = (_stamp(), value)
    return value


async def lottery_days(group_ids, item_id: int | None = None) -> frozenset[date]:
    """The days whose places go by lottery at ``group_ids`` (for ``item_id``: the groups' draws and
    the item's own; None: every draw of the groups) until drawn: then the places left (fewer
    registrations than places, a cancellation nobody waiting took) are first come.
    One query per CACHE_SECONDS per process."""
    groups = tuple(sorted(group_ids))

    async def days() -> frozenset[date]:
        return frozenset(await repo.lottery_days(list(groups), item_id))

    return await _remembered(db.current_state(), ("days", groups, item_id), days)


def forget_cached(state) -> None:
    if state is not None:
        state.extras.pop(_CACHE_KEY, None)


# -- views ------------------------------------------------------------------------------------------
def draw_public(draw: LotteryDraw) -> DrawPublic:
    drawn = draw.status == DRAWN
    return DrawPublic(
        id=draw.id,
        date=draw.date,
        office=draw.group.office.name,
        window_group=draw.group.name,
        item_code=draw.item.code if draw.item_id else None,
        status=draw.status,
        registration_opens_at=clock.to_local(draw.registration_opens_at),
        registration_closes_at=clock.to_local(draw.registration_closes_at),
        draw_at=clock.to_local(draw.draw_at),
        seed_hash=draw.seed_hash,
        seed=draw.seed if drawn else None,  # committed at creation, revealed at the draw
        entries_digest=draw.entries_digest if drawn else None,
        entries=draw.entries,
        places=draw.places,
        winners=draw.winners,
        drawn_at=clock.to_local(draw.drawn_at) if draw.drawn_at else None,
    )


async def _entry_out(entry: LotteryEntry, user_id: int, settings) -> EntryOut:
    appointment = None
    if entry.status == WON and entry.appointment_id:
        found = await bookings.appointment_of(entry.appointment_id, user_id)
        appointment = appointment_out(found, settings.booking_cancel_cutoff_minutes)
    return EntryOut(
        id=entry.id,
        status=entry.status,
        status_text=LOTTERY_ENTRIES.text[entry.status],
        item_code=entry.item_code,
        date=entry.draw.date,
        waitlist=entry.waitlist,
        draw=draw_public(entry.draw),
        appointment=appointment,
        created_at=entry.created_at,
    )


# -- admin ------------------------------------------------------------------------------------------
def _bad_window(message: str) -> ApiError:
    return ApiError(422, "BAD_LOTTERY_WINDOW", message)


async def create_draw(principal: Principal, body: DrawIn) -> DrawAdminOut:
    group = await halls.group_by_code(body.group_code)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    item = None
    if body.item_code is not None:
        item = await catalog.item_by_code(body.item_code)
        if item is None or item.id not in await halls.group_item_ids(group.id):
            raise ApiError(422, "UNKNOWN_ITEM", "该窗口组不办理此事项")
    day_starts = datetime.combine(body.date, datetime.min.time(), clock.CST)
    if body.draw_at > day_starts:
        raise _bad_window("开奖时间须早于预约当天")
    if body.draw_at <= clock.now():
        raise _bad_window("开奖时间须晚于现在")
    if not (await day_mode(body.date)).is_open:
        raise ApiError(409, "DAY_CLOSED", "该日不办公，不能设置摇号")
    seed = new_seed()
    try:
        draw = await repo.create_draw(
            group_id=group.id,
            item_id=item.id if item else None,
            date=body.date,
            scope_key=f"{group.id}:{item.id if item else '*'}:{body.date.isoformat()}",
            registration_opens_at=body.registration_opens_at.astimezone(UTC),
            registration_closes_at=body.registration_closes_at.astimezone(UTC),
            draw_at=body.draw_at.astimezone(UTC),
            seed=seed,
            seed_hash=seed_hash(seed),
            created_by=principal.user_id,
        )
    except IntegrityError:
        raise ApiError(409, "ALREADY_EXISTS", "该日已设置摇号") from None
    details = {
        "group": group.code,
        "item": body.item_code,
        "date": body.date.isoformat(),
        "seed_hash": draw.seed_hash,
    }
    await record(principal, "appointments.lottery.create", "lottery_draw", str(draw.id), details)
    forget_cached(db.current_state())
    return await draw_admin(draw.id)


async def draw_admin(draw_id: int) -> DrawAdminOut:
    draw = await repo.draw_by_id(draw_id)
    if draw is None:
        raise ApiError(404, "NOT_FOUND", "未找到该摇号")
    registrations = await repo.registrations_count(draw.id)
    return DrawAdminOut(**draw_public(draw).model_dump(), registrations=registrations)


async def list_draws(from_day: date | None) -> list[DrawPublic]:
    return [draw_public(d) for d in await repo.draws_from(from_day or clock.today() - timedelta(days=30))]


async def public_draw(draw_id: int) -> DrawPublic:
    draw = await repo.draw_by_id(draw_id)
    if draw is None:
        raise ApiError(404, "NOT_FOUND", "未找到该摇号")
    return draw_public(draw)


# -- citizens ---------------------------------------------------------------------------------------
def not_lottery() -> ApiError:
    return ApiError(409, "NOT_LOTTERY", "该日名额先到先得，无需登记摇号，请直接预约")


async def _item_and_draw(state, code: str, day: date):
    """(the bookable item, the lottery of ``day`` for it or None), reused CACHE_SECONDS per process:
    a registration rush reads them on every attempt (the window is checked against the clock)."""

    async def load():
        item = await bookable_item(code)
        return item, await repo.draw_for(await bookings.group_ids_for_item(item.id), item.id, day)

    return await _remembered(state, ("draw", code, day), load)


async def register(principal: Principal, body: RegisterBody, state, unit: Unit) -> EntryOut:
    """One registration per person for the day's draw, inside its window (race-proof: unique key).
    The checks only read; the one INSERT runs in the request's unit of work (``unit``)."""
    item, draw = await _item_and_draw(state, body.item_code, body.date)
    if draw is None:
        raise not_lottery()
    now = clock.now()
    if now < draw.registration_opens_at:
        opens = clock.to_local(draw.registration_opens_at)
        raise ApiError(
            409,
            "NOT_YET_OPEN",
            f"摇号登记将于 {opens:%m-%d %H:%M} 开始",
            {"opens_at": opens.isoformat(timespec="minutes")},
        )
    if draw.status != OPEN or now >= draw.registration_closes_at:
        closed = clock.to_local(draw.registration_closes_at)
        raise ApiError(
            409,
            "LOTTERY_CLOSED",
            f"摇号登记已于 {closed:%m-%d %H:%M} 截止",
            {"closed_at": closed.isoformat(timespec="minutes")},
        )
    person = await users.person_key(principal.user_id)
    if person is None:
        raise ApiError(409, "PROFILE_INCOMPLETE", "请先完成实名信息（姓名、身份证号、手机号）")
    today = clock.today()

    async def suspended() -> frozenset[int]:
        return frozenset(await repo.suspended_user_ids(today))

    # the few suspended citizens, read once per CACHE_SECONDS (not once per registration)
    if principal.user_id in await _remembered(state, ("suspended", today), suspended):
        suspension = await bookings.active_suspension(principal.user_id, today)
        if suspension is not None:
            until = suspension.until.isoformat()
            message = f"因多次预约未到，预约功能暂停至 {until}"
            raise ApiError(403, "BOOKING_SUSPENDED", message, {"until": until})
    async with unit():
        entry = await repo.create_entry(
            draw.id, principal.user_id, person, item.id, item.code, body.waitlist, now
        )
    if entry is None:
        raise ApiError(409, "ALREADY_REGISTERED", "您（同一身份证号）已登记过该日的摇号")
    entry.draw = draw
    return await _entry_out(entry, principal.user_id, state.settings)


async def my_entry(principal: Principal, entry_id: int, settings) -> EntryOut:
    entry = await repo.entry_of(entry_id, principal.user_id)
    if entry is None:
        raise ApiError(404, "NOT_FOUND", "未找到该摇号登记")
    return await _entry_out(entry, principal.user_id, settings)


async def my_entries(principal: Principal, settings) -> list[EntryOut]:
    return [
        await _entry_out(e, principal.user_id, settings) for e in await repo.my_entries(principal.user_id)
    ]
