"""The domains, in order. Each may have any of these modules, found by name:

- ``models``: Tortoise models (registered for the ORM and the migrations)
- ``routes``: ``ENDPOINTS`` (mounted under /api/v1) and optionally ``ROOT_ENDPOINTS`` (at /)
- ``lifecycle``: ``lifespan(state)``, an async context manager run at start-up (search index …)
- ``seed``: ``async def seed(settings) -> str`` for ``onetrip seed-demo`` (idempotent)
- ``commands``: ``app``, a typer group added to the ``onetrip`` command as ``NAME``
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

DOMAIN_PACKAGES = [
    "citizen_api.users",
    "citizen_api.auth",
    "citizen_api.audit",
    "citizen_api.catalog",
    "citizen_api.search",
    "citizen_api.workdays",
    "citizen_api.uploads",
    "citizen_api.cases",
    "citizen_api.appointments",
    "citizen_api.delivery",
    "citizen_api.ratings",
    "citizen_api.complaints",
    "notifications",
    "bots",
]


def module_names(kind: str) -> list[str]:
    names = []
    for package in DOMAIN_PACKAGES:
        name = f"{package}.{kind}"
        if importlib.util.find_spec(name) is not None:
            names.append(name)
    return names


def modules(kind: str) -> list[ModuleType]:
    return [importlib.import_module(name) for name in module_names(kind)]
