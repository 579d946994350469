"""``onetrip outbox requeue-dead`` and ``onetrip outbox stats``."""

from __future__ import annotations

import typer

from citizen_api.commands import run_with_db
from notifications import service

app = typer.Typer(help="消息发件箱 notification outbox", no_args_is_help=True)


@app.command("requeue-dead")
def requeue_dead_command(
    ctx: typer.Context,
    ids: list[int] = typer.Option(None, "--id", help="only these rows (repeatable); default: every dead row"),
) -> None:
    """Put dead notifications back in the queue with a fresh attempt budget."""

    async def work(settings) -> int:
        return await service.requeue_dead(list(ids) if ids else None)

    count = run_with_db(ctx, work)
    typer.echo(f"requeued {count} dead notification(s); the dispatcher sends them on its next pass")


@app.command("stats")
def stats_command(ctx: typer.Context) -> None:
    """Rows per status."""

    async def work(settings) -> dict[str, int]:
        return await service.status_counts()

    for status, count in sorted(run_with_db(ctx, work).items()):
        typer.echo(f"{status:>8}  {count}")
