"""``onetrip cases stats-rebuild`` and ``stats-check``: the 电子监察 rollup, for operators."""

from __future__ import annotations

import typer

from citizen_api.cases import stats_rollup
from citizen_api.commands import run_with_db

app = typer.Typer(help="办件 cases", no_args_is_help=True)


@app.callback()
def cases() -> None:
    """办件 cases."""


@app.command("stats-rebuild")
def stats_rebuild(ctx: typer.Context) -> None:
    """Recompute the statistics' rollup from the cases (after a restore that bypassed the triggers)."""
    rows = run_with_db(ctx, lambda settings: stats_rollup.rebuild())
    typer.echo(f"rebuilt the statistics rollup: {rows} rows")


@app.command("stats-compact")
def stats_compact(ctx: typer.Context) -> None:
    """Fold the rollup's pending changes now (the worker's case_stats_compact job does it every minute)."""
    folded = run_with_db(ctx, lambda settings: stats_rollup.compact())
    typer.echo(f"folded {folded} pending changes into the statistics rollup")


@app.command("stats-check")
def stats_check(ctx: typer.Context) -> None:
    """Compare the statistics' rollup with the cases; exit 1 and list the figures that differ."""
    differences = run_with_db(ctx, lambda settings: stats_rollup.check())
    for code, day, key, kept, live in differences[:50]:
        typer.echo(f"{code} {day} {key}: rollup {kept}, cases {live}")
    if differences:
        typer.echo(f"{len(differences)} figures differ: run `onetrip cases stats-rebuild`")
        raise typer.Exit(1)
    typer.echo("the statistics rollup matches the cases")
