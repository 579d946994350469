"""Lottery test helpers: a lottery Tuesday before 国庆, registration and the draw as the job runs it,
and an independent recomputation of a draw (hashlib only, not the server's code)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import httpx

from citizen_api import clock
from citizen_api.appointments.lottery_draw import run_lottery_draws
from tests.job_runs import run_job

TUESDAY = date(2026, 9, 29)  # the lottery day
WEDNESDAY = date(2026, 9, 30)  # first come
OPENS = datetime(2026, 9, 28, 10, 0, tzinfo=clock.CST)
CLOSES = datetime(2026, 9, 28, 18, 0, tzinfo=clock.CST)
DRAW_AT = datetime(2026, 9, 28, 20, 0, tzinfo=clock.CST)
REGISTERING = datetime(2026, 9, 28, 10, 30, tzinfo=clock.CST)
AFTER_DRAW = datetime(2026, 9, 28, 20, 1, tzinfo=clock.CST)
TWO_SLOTS_OF_TWO = [{"start": "09:00", "end": "11:00", "slot_minutes": 60, "capacity": 2}]
DRAWS = "/api/v1/staff/appointments/lottery-draws"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def recompute(seed: str, ids: list[int], places: int) -> tuple[str, list[int]]:
    """(entries_digest, winners) as README's 摇号 section spells the algorithm (no ineligible)."""
    digest = sha("\n".join(str(i) for i in sorted(ids)))
    order = sorted(ids, key=lambda i: (sha(f"{seed}:{i}"), i))
    return digest, order[:places]


async def create_draw(client: httpx.AsyncClient, admin: dict, group_code: str, **changes) -> httpx.Response:
    body = {
        "group_code": group_code,
        "date": TUESDAY.isoformat(),
        "registration_opens_at": OPENS.isoformat(),
        "registration_closes_at": CLOSES.isoformat(),
        "draw_at": DRAW_AT.isoformat(),
        **changes,
    }
    return await client.post(DRAWS, json=body, headers=admin)


async def register(
    client: httpx.AsyncClient, headers: dict, item_code: str, day: date = TUESDAY, waitlist: bool = False
) -> httpx.Response:
    body = {"item_code": item_code, "date": day.isoformat(), "waitlist": waitlist}
    return await client.post("/api/v1/appointments/lottery", json=body, headers=headers)


async def run_draw_job(settings, now: datetime = AFTER_DRAW) -> int:
    """The periodic job ``lottery_draws`` run at ``now`` as the worker runs it (one runner)."""
    clock.set_now(now)
    return await run_job(run_lottery_draws, settings, clock.now())
