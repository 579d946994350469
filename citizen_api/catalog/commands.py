"""``onetrip catalog import FILE`` / ``export FILE`` (JSON, with a progress bar) and ``seed-synonyms``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from citizen_api import db
from citizen_api.catalog import transfer
from citizen_api.catalog.seed import add_default_synonyms
from citizen_api.commands import run_with_db

app = typer.Typer(help="服务事项目录 service catalog (import / export JSON)", no_args_is_help=True)


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )


@app.command("import")
def import_file(
    ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True)
) -> None:
    """Upsert departments, items (by code) and synonyms from a JSON file; safe to run again."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {file} is not valid JSON: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        catalog = transfer.parse(data)
    except transfer.CatalogFileError as exc:
        _print_errors(exc)
        raise typer.Exit(2) from None

    async def work(settings):
        with _bar() as bar:
            task = bar.add_task("导入事项", total=len(catalog.items))
            async with db.atomic():
                return await transfer.import_catalog(catalog, progress=lambda: bar.advance(task))

    try:
        report = run_with_db(ctx, work)
    except transfer.CatalogFileError as exc:
        _print_errors(exc)
        raise typer.Exit(2) from None
    typer.echo(report.line())


@app.command("export")
def export_file(ctx: typer.Context, file: Path = typer.Argument(..., dir_okay=False)) -> None:
    """Write departments, items and synonyms to a JSON file that ``import`` reads back."""

    async def work(settings):
        total = await transfer.item_count()
        with _bar() as bar:
            task = bar.add_task("导出事项", total=total)
            return await transfer.export_catalog(progress=lambda: bar.advance(task))

    data = run_with_db(ctx, work)
    file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(f"exported {len(data['items'])} items, {len(data['departments'])} departments to {file}")


@app.command("seed-synonyms")
def seed_synonyms(ctx: typer.Context) -> None:
    """Add the built-in synonyms (身份证→居民身份证, 驾照→机动车驾驶证 …) that are missing."""

    async def work(settings):
        async with db.atomic():
            return await add_default_synonyms()

    typer.echo(f"synonyms: {run_with_db(ctx, work)} added")


def _print_errors(exc: transfer.CatalogFileError) -> None:
    for line in exc.errors[:50]:
        typer.echo(f"error: {line}", err=True)
    if len(exc.errors) > 50:
        typer.echo(f"… and {len(exc.errors) - 50} more", err=True)
