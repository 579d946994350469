"""The lockers' periodic job: deposits past their pickup time expire (the citizen is told once)."""

from __future__ import annotations

from citizen_api.jobs import JobContext
from citizen_api.lockers import service


async def run_locker_expiry(ctx: JobContext) -> int:
    async with ctx.atomic():
        return await service.expire_due(ctx.now)
