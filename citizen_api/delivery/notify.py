"""Who hears about a department's problems (parcels, bad ratings, complaints), through the outbox."""

from __future__ import annotations

from typing import Any

from citizen_api.security.principal import ADMIN, APPROVER, SUPERVISOR, WINDOW
from citizen_api.users.models import User
from notifications import outbox


async def staff_recipients(department_code: str | None) -> list[int]:
    """The department's window clerks and approvers; the centre's supervisors when it has none."""
    ids: list[int] = []
    if department_code:
        ids = await User.filter(
            role__in=[WINDOW, APPROVER], department_code=department_code, is_active=True
        ).values_list("id", flat=True)
    if not ids:
        ids = await supervisors()
    return sorted(ids)


async def supervisors() -> list[int]:
    ids = await User.filter(role=SUPERVISOR, is_active=True).values_list("id", flat=True)
    if not ids:
        ids = await User.filter(role=ADMIN, is_active=True).values_list("id", flat=True)
    return sorted(ids)


async def warn_staff(
    department_code: str | None, event: str, payload: dict[str, Any], dedupe_key: str
) -> int:
    """One outbox row (audience staff) per recipient; ``dedupe_key`` makes a repeat a no-op."""
    recipients = await staff_recipients(department_code)
    for user_id in recipients:
        await outbox.enqueue(user_id, event, payload, audience="staff", dedupe_key=f"{dedupe_key}:{user_id}")
    return len(recipients)


async def tell_supervisors(event: str, payload: dict[str, Any], dedupe_key: str) -> int:
    recipients = await supervisors()
    for user_id in recipients:
        await outbox.enqueue(user_id, event, payload, audience="staff", dedupe_key=f"{dedupe_key}:{user_id}")
    return len(recipients)
