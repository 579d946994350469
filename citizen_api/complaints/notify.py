"""Who hears about a complaint, through the outbox: the supervisors (the admins when there are none)."""

from __future__ import annotations

from typing import Any

from citizen_api.users import service as users
from notifications import outbox


async def tell_supervisors(event: str, payload: dict[str, Any], dedupe_key: str) -> int:
    """One staff message per recipient; ``dedupe_key`` makes a repeat a no-op. Returns the recipients."""
    recipients = sorted(await users.supervisor_ids() or await users.admin_ids())
    for user_id in recipients:
        await outbox.enqueue(user_id, event, payload, audience="staff", dedupe_key=f"{dedupe_key}:{user_id}")
    return len(recipients)
