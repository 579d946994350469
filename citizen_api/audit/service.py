"""Writing the audit log. There is no update or delete path, by design."""

from __future__ import annotations

from typing import Any

from citizen_api.audit.models import AuditLog
from citizen_api.security.principal import Principal


async def record(
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: Any,
    details: dict[str, Any] | None = None,
    request_id: str = "",
) -> None:
    await AuditLog.create(
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role if actor else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details or {},
        request_id=request_id,
    )
