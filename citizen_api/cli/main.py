from __future__ import annotations

import typer

from citizen_api.cli import migrations, serve, staff
from citizen_api.cli.seed import seed_demo
from citizen_api.domains import modules

app = typer.Typer(help="OneTrip 政务服务后端", no_args_is_help=True, add_completion=False)
app.command("serve")(serve.serve)
app.command("worker")(serve.worker)
app.command("migrate")(migrations.migrate)
app.command("makemigrations")(migrations.makemigrations)
app.command("seed-demo")(seed_demo)
app.add_typer(staff.app, name="staff")
for _module in modules("commands"):
    # e.g. citizen_api.catalog.commands → ``onetrip catalog …``
    app.add_typer(_module.app, name=getattr(_module, "NAME", _module.__name__.split(".")[-2]))


def main() -> None:
    app()
