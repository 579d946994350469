"""Writing the audit log. There is no update or delete path, by design."""

from __future__ import annotations

from typing import Any

from citizen_api.audit import repository as repo
from citizen_api.security.principal import Principal


async def record(
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: Any,
    details: dict[str, Any] | None = None,
    request_id: str = "",
) -> None:
    """One entry, in the caller's transaction (``actor`` None: the system, e.g. a job or an import)."""
    await repo.append(
        actor.user_id if actor else None,
        actor.role if actor else "system",
        action,
        object_type,
        str(object_id),
        details or {},
        request_id,
    )
