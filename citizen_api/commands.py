"""What a domain's command group (``onetrip <domain> …``) gets from ``onetrip`` itself.

The CLI is the entry layer, which a domain never imports. ``onetrip``'s root callback
(``citizen_api.cli.main``) puts a :class:`CommandContext` into typer's context; a domain's command
takes ``ctx: typer.Context`` and calls :func:`run_with_db`, which opens the database with every
registered model (the registry's list, known only to the entry layer) for one piece of work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from citizen_api.settings import Settings

T = TypeVar("T")
DbWork = Callable[["Settings"], Awaitable[Any]]


@dataclass(frozen=True)
class CommandContext:
    run_with_db: Callable[[DbWork], Any]  # run ``work(settings)`` with the database open, then close it


def run_with_db(ctx: typer.Context, work: Callable[[Settings], Awaitable[T]]) -> T:
    """Run ``work(settings)`` with the database open (every registered model), and close it."""
    command = ctx.find_object(CommandContext)
    if command is None:
        raise RuntimeError("domain commands run under `onetrip` (citizen_api.cli.main gives their context)")
    return command.run_with_db(work)
