"""``onetrip staff add USERNAME --role ROLE [--department CODE]`` (password read from stdin)."""

from __future__ import annotations

import sys

import typer

from citizen_api.cli.runner import run_with_db
from citizen_api.db import atomic
from citizen_api.users.service import StaffError, add_staff

app = typer.Typer(help="工作人员账号 staff accounts", no_args_is_help=True)


@app.command("add")
def add(
    username: str,
    role: str = typer.Option(..., help="window | approver | supervisor | admin"),
    department: str = typer.Option("", help="department code"),
) -> None:
    """Create a staff account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\n")

    async def work(settings):
        async with atomic():
            return await add_staff(username, password, role, department or None)

    try:
        user = run_with_db(work)
    except StaffError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created staff {user.username} (id {user.id}, role {user.role})")
