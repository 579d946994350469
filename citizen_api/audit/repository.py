"""Audit log queries: appending is the only write there is."""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit.models import AuditLog


async def append(
    actor_id: int | None,
    actor_role: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    request_id: str,
) -> None:
    await AuditLog.create(
        actor_id=actor_id,
        actor_role=actor_role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
        request_id=request_id,
        at=clock.now(),  # the service clock, like every other time the service records
    )


async def append_many(rows: list[dict[str, Any]]) -> None:
    """Several entries in one call (the columns of :func:`append` each, ``at`` included)."""
    if rows:
        await AuditLog.bulk_create([AuditLog(**row) for row in rows])


async def page(
    object_type: str | None, object_id: str | None, action: str | None, offset: int, limit: int
) -> tuple[int, list[AuditLog]]:
    """Entries newest first, optionally of one object or one action."""
    query = AuditLog.all()
    if object_type:
        query = query.filter(object_type=object_type)
    if object_id:
        query = query.filter(object_id=object_id)
    if action:
        query = query.filter(action=action)
    return await query.count(), await query.order_by("-at", "-id").offset(offset).limit(limit)
