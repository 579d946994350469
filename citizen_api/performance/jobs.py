"""效能考评's periodic job: last month's scores, computed once it is over (China time)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.jobs import JobContext
from citizen_api.performance import months, service


async def run_monthly_scores(ctx: JobContext) -> int:
    """1 when last month was computed by this run; 0 when someone (a supervisor, an earlier run) had."""
    month = months.last_month(clock.to_local(ctx.now).date())
    async with ctx.atomic():
        return int(await service.compute_once(month))
