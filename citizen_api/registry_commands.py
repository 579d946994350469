"""The registry's command part: each domain's ``onetrip <name> …`` group, as plain imports.

Apart from ``citizen_api.domains`` for the same reason as ``registry_models``: ``onetrip catalog …``
needs the catalog's commands and the models, not every route of the API.
"""

from __future__ import annotations

import typer

from citizen_api.appointments import commands as appointments_commands
from citizen_api.cases import commands as cases_commands
from citizen_api.catalog import commands as catalog_commands
from citizen_api.uploads import commands as uploads_commands
from citizen_api.workdays import commands as workdays_commands
from notifications import commands as notifications_commands

COMMANDS: list[tuple[str, typer.Typer]] = [
    ("catalog", catalog_commands.app),
    ("holidays", workdays_commands.app),
    ("uploads", uploads_commands.app),
    ("appointments", appointments_commands.app),
    ("cases", cases_commands.app),
    ("outbox", notifications_commands.app),
]
