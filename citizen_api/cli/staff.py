"""``onetrip staff add USERNAME --role ROLE [--department CODE] [--office CODE]`` (password read from
stdin). A 代办员 (``--role village_agent``) names the village (村/社区) service point they work for with
``--office``; any other office is refused, as the admin's 新建账号 refuses it (VILLAGE_POINT_REQUIRED)."""

from __future__ import annotations

import sys

import typer

from citizen_api.cli.runner import run_with_db
from citizen_api.db import atomic
from citizen_api.points.service import is_village_point
from citizen_api.security.principal import VILLAGE_AGENT
from citizen_api.users.service import StaffError, add_staff

app = typer.Typer(help="工作人员账号 staff accounts", no_args_is_help=True)


@app.command("add")
def add(
    username: str,
    role: str = typer.Option(..., help="window | approver | supervisor | admin | village_agent"),
    department: str = typer.Option("", help="department code"),
    office: str = typer.Option("", help="village_agent only: the village service point's office code"),
) -> None:
    """Create a staff account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\n")

    async def work(settings):
        if office and role != VILLAGE_AGENT:
            raise StaffError("--office is for --role village_agent only (只有代办员须指定服务点)")
        if role == VILLAGE_AGENT and office and not await is_village_point(office):
            raise StaffError(
                f"office {office} is not a village service point (代办员须指定所在的村（社区）便民服务点); "
                "place it under a town in 三级便民服务 first"
            )
        async with atomic():
            return await add_staff(username, password, role, department or None, office_code=office or None)

    try:
        user = run_with_db(work)
    except StaffError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    point = f", point {user.office_code}" if user.office_code else ""
    typer.echo(f"created staff {user.username} (id {user.id}, role {user.role}{point})")
