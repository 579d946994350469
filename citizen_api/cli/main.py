from __future__ import annotations

import typer

from citizen_api.cli import migrations, serve, staff
from citizen_api.cli.runner import run_with_db
from citizen_api.cli.seed import seed_demo
from citizen_api.commands import CommandContext
from citizen_api.registry_commands import COMMANDS

app = typer.Typer(help="OneTrip 政务服务后端", no_args_is_help=True, add_completion=False)


@app.callback()
def _give_commands_their_context(ctx: typer.Context) -> None:
    # the domains' command groups open the database through this (citizen_api.commands)
    ctx.obj = CommandContext(run_with_db=run_with_db)


app.command("serve")(serve.serve)
app.command("worker")(serve.worker)
app.command("migrate")(migrations.migrate)
app.command("makemigrations")(migrations.makemigrations)
app.command("seed-demo")(seed_demo)
app.add_typer(staff.app, name="staff")
for _name, _group in COMMANDS:  # e.g. ``onetrip catalog …`` (the registry's command groups)
    app.add_typer(_group, name=_name)


def main() -> None:
    app()
