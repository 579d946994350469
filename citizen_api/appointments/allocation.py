"""How a day's places are given: ``first_come`` (先到先得) or ``lottery`` (摇号, the lottery module).

One small function so that the calendar and the booking path ask one place. GET /days shows it;
POST /appointments refuses a lottery day (409 LOTTERY_DAY). Keep it cheap: it runs on every
booking attempt that is not already refused as full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from citizen_api.appointments.lottery import lottery_days
from citizen_api.errors import ApiError

Allocation = Literal["first_come", "lottery"]


async def allocation_of(group_ids: Sequence[int], day: date, item_id: int | None = None) -> Allocation:
    """The allocation of ``day`` at the window groups ``group_ids`` (the groups serving an item;
    ``item_id``: also a draw of that item only). Lottery days come from ``lottery`` (cached 2 s)."""
    return "lottery" if day in await lottery_days(group_ids, item_id) else "first_come"


def lottery_day() -> ApiError:
    return ApiError(409, "LOTTERY_DAY", "该日名额以摇号分配，请登记参加摇号")
