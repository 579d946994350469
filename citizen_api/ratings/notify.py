"""Who hears about a rating's follow-up, through the outbox: the department's staff, the supervisors."""

from __future__ import annotations

from typing import Any

from citizen_api.users import service as users
from notifications import outbox


async def supervisors() -> list[int]:
    """The active supervisors; the admins when the centre has none (someone must hear)."""
    return sorted(await users.supervisor_ids() or await users.admin_ids())


async def department_staff(department_code: str) -> list[int]:
    """The department's window clerks and approvers; the supervisors when it has none."""
    staff = await users.department_staff_ids(department_code) if department_code else []
    return sorted(staff) or await supervisors()


async def _send(recipients: list[int], event: str, payload: dict[str, Any], dedupe_key: str) -> int:
    for user_id in recipients:
        await outbox.enqueue(user_id, event, payload, audience="staff", dedupe_key=f"{dedupe_key}:{user_id}")
    return len(recipients)


async def warn_department(department_code: str, event: str, payload: dict[str, Any], dedupe_key: str) -> int:
    """One staff message per recipient; ``dedupe_key`` makes a repeat a no-op. Returns the recipients."""
    return await _send(await department_staff(department_code), event, payload, dedupe_key)


async def tell_supervisors(event: str, payload: dict[str, Any], dedupe_key: str) -> int:
    return await _send(await supervisors(), event, payload, dedupe_key)
