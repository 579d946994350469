"""Who hears about a department's parcels (trouble, silence, a waybill clash), through the outbox."""

from __future__ import annotations

from typing import Any

from citizen_api.users import service as users
from notifications import outbox


async def _recipients(department_code: str | None) -> list[int]:
    """The department's window clerks and approvers; the centre's supervisors (else admins) when it
    has none, so a warning always reaches someone."""
    ids = await users.department_staff_ids(department_code) if department_code else []
    if not ids:
        ids = await users.supervisor_ids() or await users.admin_ids()
    return sorted(ids)


async def warn_staff(
    department_code: str | None, event: str, payload: dict[str, Any], dedupe_key: str
) -> int:
    """One outbox row (audience staff) per recipient; ``dedupe_key`` makes a repeat a no-op."""
    recipients = await _recipients(department_code)
    for user_id in recipients:
        await outbox.enqueue(user_id, event, payload, audience="staff", dedupe_key=f"{dedupe_key}:{user_id}")
    return len(recipients)
