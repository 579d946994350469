"""Writing the audit log. There is no update or delete path, by design."""

from __future__ import annotations

import re
from typing import Any

from citizen_api import clock
from citizen_api.audit import repository as repo
from citizen_api.audit.schemas import AuditEntry, AuditQuery
from citizen_api.http import Page
from citizen_api.security.masking import mask_id_number, mask_phone
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


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


async def record_many(
    actor: Principal | None,
    entries: list[tuple[str, str, Any, dict[str, Any]]],
    request_id: str = "",
) -> None:
    """:func:`record` of several entries at once — ``(action, object_type, object_id, details)`` each,
    in this order — written together (filing a bundle's four cases: one call, not four)."""
    now = clock.now()
    await repo.append_many(
        [
            {
                "actor_id": actor.user_id if actor else None,
                "actor_role": actor.role if actor else "system",
                "action": action,
                "object_type": object_type,
                "object_id": str(object_id),
                "details": details or {},
                "request_id": request_id,
                "at": now,
            }
            for action, object_type, object_id, details in entries
        ]
    )


# -- reading the trail (supervisors and admins)

_PERSONAL_KEYS = {"name", "applicant_name", "phone", "mobile", "id_number", "address", "profile", "openid",
                  "unionid", "delivery", "delivery_address", "password"}  # fmt: skip
_PERSONAL_TEXT = re.compile(r"\d{17}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)")


def without_personal_data(value: Any) -> Any:
    """``value`` with personal fields dropped and ID or mobile numbers in text masked."""
    if isinstance(value, dict):
        return {k: without_personal_data(v) for k, v in value.items() if k.lower() not in _PERSONAL_KEYS}
    if isinstance(value, list):
        return [without_personal_data(v) for v in value]
    if isinstance(value, str):
        return _PERSONAL_TEXT.sub(
            lambda m: (mask_id_number if len(m.group(0)) == 18 else mask_phone)(m.group(0)) or "", value
        )
    return value


async def trail(query: AuditQuery) -> Page[AuditEntry]:
    total, rows = await repo.page(query.object_type, query.object_id, query.action, query.offset, query.size)
    names: dict[int, str | None] = {}
    for actor_id in {row.actor_id for row in rows if row.actor_id is not None}:
        account = await users.account(actor_id)
        staff = account is not None and account.role != "citizen"
        names[actor_id] = (account.display_name or account.username) if staff else None
    return Page[AuditEntry](
        total=total,
        items=[
            AuditEntry(
                id=row.id,
                at=row.at,
                actor_id=row.actor_id,
                actor_name=names.get(row.actor_id) if row.actor_id is not None else "系统",
                actor_role=row.actor_role,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                details=without_personal_data(row.details or {}),
            )
            for row in rows
        ],
    )
