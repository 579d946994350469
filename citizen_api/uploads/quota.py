"""The per-citizen quota of unattached upload bytes (files not yet used by a case).

Checked three times, each as early as it can be known: before reading the body (nothing left, or
the declared length already too much), while streaming (bytes counted against what is left), and
once more when the row is written, under a lock on the citizen, so that parallel uploads cannot
together pass it. Only uploads younger than ``upload_orphan_hours`` count: older ones are due for
``onetrip uploads clean-orphans`` and must not lock a citizen out if it runs late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.uploads import repository as repo
from citizen_api.users import service as users

CODE = "UPLOAD_QUOTA_EXCEEDED"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


@dataclass(frozen=True)
class Quota:
    owner_id: int
    limit: int
    used: int
    since: datetime

    @property
    def allowance(self) -> int:
        return max(0, self.limit - self.used)

    def exceeded(self) -> ApiError:
        return exceeded(self.limit, self.used)


def exceeded(limit: int, used: int) -> ApiError:
    return ApiError(
        413,
        CODE,
        f"尚未用于办件的上传文件已达 {_mb(limit)} 上限，请先提交办件；未使用的文件会自动清理",
        {"quota_bytes": limit, "used_bytes": used},
    )


def _since(settings) -> datetime:
    return clock.now() - timedelta(hours=settings.upload_orphan_hours)


async def current(owner_id: int, settings) -> Quota:
    since = _since(settings)
    used = await repo.unattached_bytes(owner_id, since)
    return Quota(owner_id, settings.upload_unattached_quota_bytes, used, since)


async def confirm(quota: Quota, size: int) -> None:
    """Inside the transaction that writes the row: the authoritative check (raises when over)."""
    await users.lock_account(quota.owner_id)  # parallel uploads of one citizen wait for each other
    used = await repo.unattached_bytes(quota.owner_id, quota.since)
    if used + size > quota.limit:
        raise exceeded(quota.limit, used)
