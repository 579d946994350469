"""The registry's first part: every domain's Tortoise models module, as plain imports.

Kept apart from ``citizen_api.domains`` (endpoints, start-up hooks, jobs) so that the command line,
the migrations and the schema tools load the models without importing every route and service: a
CLI command starts in about half a second instead of two. A domain that adds a models module adds it
here; ``citizen_api.domains`` re-exports ``MODEL_MODULES``.
"""

from __future__ import annotations

from typing import Any

import bots.models
import citizen_api.agents.models
import citizen_api.appointments.models
import citizen_api.audit.models
import citizen_api.auth.models
import citizen_api.bundles.models
import citizen_api.cases.models
import citizen_api.catalog.models
import citizen_api.complaints.models
import citizen_api.delivery.models
import citizen_api.licences.models
import citizen_api.lockers.models
import citizen_api.performance.models
import citizen_api.points.models
import citizen_api.publicity.models
import citizen_api.ratings.models
import citizen_api.staffing.models
import citizen_api.uploads.models
import citizen_api.users.models
import citizen_api.visits.models
import citizen_api.workdays.models
import notifications.models

# in domain order (the order of citizen_api.domains.DOMAINS)
MODEL_MODULES: list[str] = [
    module.__name__
    for module in (
        citizen_api.users.models,
        citizen_api.auth.models,
        citizen_api.audit.models,
        citizen_api.catalog.models,
        citizen_api.workdays.models,
        citizen_api.uploads.models,
        citizen_api.agents.models,
        citizen_api.cases.models,
        citizen_api.appointments.models,
        citizen_api.delivery.models,
        citizen_api.lockers.models,
        citizen_api.publicity.models,
        citizen_api.visits.models,
        citizen_api.staffing.models,
        citizen_api.points.models,
        citizen_api.ratings.models,
        citizen_api.complaints.models,
        citizen_api.licences.models,
        citizen_api.bundles.models,
        citizen_api.performance.models,
        notifications.models,
        bots.models,
    )
]


def tortoise_orm(database_url: str | None = None, *, max_pool: int = 2) -> dict[str, Any]:
    """The Tortoise config for every model (``onetrip makemigrations`` hands it to Tortoise's CLI)."""
    from citizen_api.db import tortoise_config
    from citizen_api.settings import Settings

    return tortoise_config(database_url or Settings().database_url, MODEL_MODULES, max_pool=max_pool)


def __getattr__(name: str) -> Any:
    # ``citizen_api.registry_models.TORTOISE_ORM`` for Tortoise's own CLI (makemigrations)
    if name == "TORTOISE_ORM":
        return tortoise_orm()
    raise AttributeError(name)
