"""Every query of the lockers domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from citizen_api.lockers.models import Locker, LockerDeposit
from citizen_api.lockers.transitions import DEPOSITED, DEPOSITS


async def active_lockers(office_code: str | None = None) -> list[Locker]:
    query = Locker.filter(active=True)
    if office_code:
        query = query.filter(office_code=office_code)
    return await query.order_by("code")


async def locker_by_code(code: str) -> Locker | None:
    return await Locker.get_or_none(code=code, active=True)


async def locker_by_vendor_id(vendor_id: str) -> Locker | None:
    return await Locker.get_or_none(vendor_id=vendor_id)


async def upsert_locker(code: str, **fields: Any) -> bool:
    """Create or update a locker by code; True when it was created."""
    _, created = await Locker.update_or_create(code=code, defaults=fields)
    return created


async def open_deposit_of_case(application_id: int) -> LockerDeposit | None:
    return await LockerDeposit.get_or_none(application_id=application_id, status=DEPOSITED)


async def create_deposit(**fields: Any) -> LockerDeposit:
    return await LockerDeposit.create(status=DEPOSITED, **fields)


async def deposit_by_digest(digest: str) -> LockerDeposit | None:
    return await LockerDeposit.get_or_none(code_digest=digest).select_related("locker")


async def deposit(deposit_id: int) -> LockerDeposit | None:
    return await LockerDeposit.get_or_none(id=deposit_id).select_related("locker")


async def move(deposit_id: int, action: str, **fields: Any) -> bool:
    """``action`` from a status the table lists; False when the deposit was not there (any more)."""
    changed = await LockerDeposit.filter(id=deposit_id, status__in=list(DEPOSITS.sources(action))).update(
        status=DEPOSITS.target(action), **fields
    )
    return changed == 1


async def due_to_expire(now: datetime, limit: int) -> list[LockerDeposit]:
    return await LockerDeposit.filter(status=DEPOSITED, expires_at__lte=now).order_by("id").limit(limit)


async def latest_deposit_of_case(application_id: int) -> LockerDeposit | None:
    return (
        await LockerDeposit.filter(application_id=application_id)
        .order_by("-id")
        .select_related("locker")
        .first()
    )


async def deposits_page(
    status: str | None, department_code: str | None, offset: int, size: int
) -> tuple[int, list[LockerDeposit]]:
    query = LockerDeposit.all()
    if status:
        query = query.filter(status=status)
    if department_code:
        query = query.filter(department_code=department_code)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(size).select_related("locker")
    return total, rows
