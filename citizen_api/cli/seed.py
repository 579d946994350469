"""``onetrip seed-demo``: demo data for ``make run``; idempotent."""

from __future__ import annotations

import typer

from citizen_api.cli.runner import run_with_db
from citizen_api.db import atomic


def seed_demo() -> None:
    """Load the demo catalog, offices, schedules and staff (safe to run again)."""
    # the seeders come from the full registry (citizen_api.domains): imported only by this command
    from citizen_api.seed import DEMO_STAFF, seed_all

    async def work(settings):
        async with atomic():
            return await seed_all(settings)

    report = run_with_db(work)
    for line in report:
        typer.echo(line)
    typer.echo("demo staff logins (POST /api/v1/auth/staff):")
    for username, password, role, department in DEMO_STAFF:
        typer.echo(f"  {username} / {password}  ({role}{', ' + department if department else ''})")
