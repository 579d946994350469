"""The one way a status changes: a conditional UPDATE from a source status the table lists."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from citizen_api.appointments.transitions import Lifecycle


async def move(model: type[Model], lifecycle: Lifecycle, row_id: int, action: str, **fields: Any) -> bool:
    """Take ``action`` on the row if its status allows it now; False when it did not (any more).

    One statement: of two racing changes (two clerks, a clerk and the citizen) exactly one wins.
    """
    changed = await model.filter(id=row_id, status__in=list(lifecycle.sources(action))).update(
        status=lifecycle.target(action), **fields
    )
    return changed == 1
