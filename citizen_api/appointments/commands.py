"""``onetrip appointments …``: make the horizon's slots ahead of a rush, write due reminders, draw and
verify lotteries."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import typer

from citizen_api import clock, db
from citizen_api.appointments import lottery_rank, lottery_verify
from citizen_api.appointments.lottery_draw import draw_ready, tell_all_losers
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


@app.command("draw-lotteries")
def draw_lotteries_command(ctx: typer.Context) -> None:
    """Draw the lotteries whose time has come and tell their losers (the worker also runs this)."""

    async def work(settings):
        started = time.perf_counter()
        drawn = await draw_ready(clock.now(), settings, db.atomic)
        drawn_at = time.perf_counter()
        told = await tell_all_losers(db.atomic)
        return drawn, told, drawn_at - started, time.perf_counter() - drawn_at

    drawn, told, draw_seconds, tell_seconds = run_with_db(ctx, work)
    typer.echo(f"{drawn} lotteries drawn in {draw_seconds:.2f} s; {told} losers told in {tell_seconds:.2f} s")


@app.command("verify-draw")
def verify_draw_command(
    ctx: typer.Context,
    draw_id: int = typer.Argument(None, min=1, help="the draw's id (omit for an offline recomputation)"),
    seed: str = typer.Option(None, "--seed", help="the published seed (default: the stored one)"),
    ids_file: Path = typer.Option(
        None,
        "--ids-file",
        exists=True,
        dir_okay=False,
        help="registration ids, one per line (default: stored)",
    ),
    places: int = typer.Option(None, "--places", min=0, help="offline: how many places were drawn"),
) -> None:
    """Recompute a lottery draw from its seed and registration ids; exit 0 when it matches."""
    ids = lottery_rank.read_ids(ids_file.read_text()) if ids_file else None
    if draw_id is None:
        if seed is None or ids is None or places is None:
            raise typer.BadParameter("offline: give --seed, --ids-file and --places (or a draw id)")
        for line in lottery_verify.offline(seed, ids, places):
            typer.echo(line)
        return

    async def work(settings):
        return await lottery_verify.verify_stored(draw_id, seed, ids)

    verdict = run_with_db(ctx, work)
    for line in verdict.lines:
        typer.echo(line)
    typer.echo(f"draw {draw_id}: {'match' if verdict.match else 'MISMATCH'}")
    raise typer.Exit(0 if verdict.match else 1)
