"""``onetrip uploads clean-orphans``: delete uploads never attached to a case in time."""

from __future__ import annotations

import typer

from citizen_api import clock
from citizen_api.commands import run_with_db
from citizen_api.uploads.service import remove_orphans
from citizen_api.uploads.storage import storage_for

app = typer.Typer(help="上传文件 uploads", no_args_is_help=True)


@app.callback()
def uploads() -> None:
    """上传文件 uploads."""


@app.command("clean-orphans")
def clean_orphans(ctx: typer.Context) -> None:
    """Delete uploads (file and row) not attached to a case after ONETRIP_UPLOAD_ORPHAN_HOURS."""
    removed = run_with_db(ctx, lambda settings: remove_orphans(clock.now(), storage_for(settings), settings))
    typer.echo(f"removed {removed} orphan uploads")
