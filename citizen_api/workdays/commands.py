"""``onetrip holidays import FILE``: a year's State Council schedule (idempotent)."""

from __future__ import annotations

from pathlib import Path

import typer

from citizen_api import db
from citizen_api.commands import run_with_db
from citizen_api.workdays.schedule import ScheduleError, load
from citizen_api.workdays.service import import_schedule

app = typer.Typer(help="节假日安排 holiday schedules", no_args_is_help=True)


@app.callback()
def holidays() -> None:
    """节假日安排 holiday schedules (a group, so ``import`` stays a subcommand)."""


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., help='JSON: {"year": 2027, "holidays": [{"name", "dates"}], "workdays"}'
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="check the file only, write nothing"),
) -> None:
    """Import (or re-import) a year's holidays and make-up workdays; admin overrides are kept."""
    try:
        schedule = load(file)
    except ScheduleError as exc:
        typer.echo(f"error: {file} cannot be imported:", err=True)
        for problem in exc.problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(2) from None
    holidays = schedule.holiday_dates()
    if dry_run:
        typer.echo(
            f"{file}: {schedule.year} ok, {len(holidays)} holiday dates, {len(schedule.workdays)} workdays"
        )
        return

    async def work(settings):
        async with db.atomic():
            return await import_schedule(schedule)

    result = run_with_db(ctx, work)
    typer.echo(
        f"imported {result.year}: {len(schedule.holidays)} holidays ({result.holiday_dates} dates), "
        f"{result.workday_dates} make-up workdays"
        + (" — the year is now known beyond the built-in calendar" if result.beyond_builtin else "")
    )
    for day, kind, note in result.kept_admin:
        typer.echo(f"  kept admin override {day} {kind}" + (f" ({note})" if note else ""))
