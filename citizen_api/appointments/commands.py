"""``onetrip appointments …``: make the horizon's slots ahead of a rush, write due reminders."""

from __future__ import annotations

from datetime import timedelta

import typer

from citizen_api import clock
from citizen_api.appointments.reminders import write_reminders
from citizen_api.appointments.schedule import generate_slots
from citizen_api.commands import run_with_db

app = typer.Typer(help="预约 appointments", no_args_is_help=True)


@app.command("generate-slots")
def generate_slots_command(
    ctx: typer.Context,
    days: int = typer.Option(
        None, "--days", min=0, max=366, help="days ahead (default: the booking horizon)"
    ),
) -> None:
    """Make the slots of every open day from today on (idempotent; days are also made on first view)."""

    async def work(settings):
        start = clock.today()
        return await generate_slots(
            start, start + timedelta(days=settings.booking_horizon_days if days is None else days)
        )

    typer.echo(f"{run_with_db(ctx, work)} slots written")


@app.command("remind")
def remind_command(ctx: typer.Context) -> None:
    """Write the reminders due now to the outbox (the worker also runs this periodically)."""

    async def work(settings):
        return await write_reminders(clock.now(), settings)

    typer.echo(f"{run_with_db(ctx, work)} reminders written")
