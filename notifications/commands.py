"""``onetrip outbox requeue-dead`` and ``onetrip outbox stats``."""

from __future__ import annotations

import typer

from citizen_api.cli.runner import run_with_db

app = typer.Typer(help="消息发件箱 notification outbox", no_args_is_help=True)


@app.command("requeue-dead")
def requeue_dead_command(
    ids: list[int] = typer.Option(None, "--id", help="only these rows (repeatable); default: every dead row"),
) -> None:
    """Put dead notifications back in the queue with a fresh attempt budget."""
    from notifications.dispatcher import requeue_dead

    async def work(settings) -> int:
        return await requeue_dead(list(ids) if ids else None)

    count = run_with_db(work)
    typer.echo(f"requeued {count} dead notification(s); the dispatcher sends them on its next pass")


@app.command("stats")
def stats_command() -> None:
    """Rows per status."""
    from tortoise.functions import Count

    from notifications.models import Notification

    async def work(settings) -> list[dict]:
        return await Notification.all().group_by("status").annotate(n=Count("id")).values("status", "n")

    for row in sorted(run_with_db(work), key=lambda r: r["status"]):
        typer.echo(f"{row['status']:>8}  {row['n']}")
