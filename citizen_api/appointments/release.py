"""Release rules (放号): the places of day D open ``days_before`` days ahead at ``at`` (Beijing time).

A window group may have a rule of its own and rules for single items (the item's overrides the
group's); a group without one releases a day as soon as it enters the booking horizon. A day of an
item is released once any group serving it has released it (``day_opens_at``); a slot follows its
own group's rule. Until then GET /days shows ``opens_at`` and the reason "MM-DD HH:MM 放号", GET /slots
shows the slots with their ``opens_at``, and booking answers 409 NOT_YET_OPEN.

The rules are read on every booking attempt, so each process keeps them all (a few rows) for
``booking_cache_seconds``; an admin's change is seen at once by the process that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field

from citizen_api import clock
from citizen_api.appointments import hot
from citizen_api.appointments.repository import releases as repo
from citizen_api.errors import ApiError, details_model

_KEY = "appointments.release_rules"


@dataclass(frozen=True, slots=True)
class Rule:
    days_before: int
    at: time

    def opens_at(self, day: date) -> datetime:
        """The instant (UTC) the places of ``day`` are released."""
        local = datetime.combine(day - timedelta(days=self.days_before), self.at, clock.CST)
        return local.astimezone(UTC)


async def _load() -> dict[tuple[int, int | None], Rule]:
    rows = await repo.all_rules()
    return {(r.group_id, r.item_id): Rule(r.days_before, time.fromisoformat(r.at)) for r in rows}


async def _rules(state) -> dict[tuple[int, int | None], Rule]:
    return await hot.cached(state, _KEY, _load)


def forget(state) -> None:
    """Reload the rules on the next look (after a change made in this process)."""
    hot.drop(state, _KEY)


async def rule_for(state, group_id: int, item_id: int) -> Rule | None:
    rules = await _rules(state)
    return rules.get((group_id, item_id)) or rules.get((group_id, None))


async def slot_opens_at(state, group_id: int, item_id: int, day: date) -> datetime | None:
    """When the slot's places open, if that is still ahead (None: released)."""
    rule = await rule_for(state, group_id, item_id)
    if rule is None:
        return None
    opens = rule.opens_at(day)
    return opens if opens > clock.now() else None


async def day_opens_at(state, group_ids: Iterable[int], item_id: int, day: date) -> datetime | None:
    """When the item's places of ``day`` open, if still ahead: the first group to release them."""
    times = [await slot_opens_at(state, g, item_id, day) for g in group_ids]
    if not times or any(t is None for t in times):
        return None
    return min(t for t in times if t is not None)


def opens_reason(opens_at: datetime) -> str:
    return f"{clock.to_local(opens_at).strftime('%m-%d %H:%M')} 放号"


@details_model("NOT_YET_OPEN")
class NotYetOpenDetails(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opens_at: str = Field(description="放号时间（ISO 8601，+08:00）")


def not_yet_open(opens_at: datetime) -> ApiError:
    local = clock.to_local(opens_at)
    return ApiError(
        409,
        "NOT_YET_OPEN",
        f"该时段将于 {local.strftime('%m月%d日 %H:%M')} 放号，请届时再预约",
        {"opens_at": local.isoformat(timespec="seconds")},
    )
