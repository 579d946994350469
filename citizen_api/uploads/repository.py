"""Upload queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from citizen_api.uploads.models import Upload


async def create(owner_id: int, key: str, filename: str, content_type: str, size: int, sha256: str) -> Upload:
    return await Upload.create(
        owner_id=owner_id,
        filename=filename,
        storage_key=key,
        content_type=content_type,
        size=size,
        sha256=sha256,
    )


async def get(upload_id: int) -> Upload | None:
    return await Upload.get_or_none(id=upload_id)


async def owned(owner_id: int, ids: Iterable[int], *, lock: bool = False) -> list[Upload]:
    query = Upload.filter(owner_id=owner_id, id__in=list(ids)).order_by("id")
    if lock:
        query = query.select_for_update()
    return await query


async def mark_attached(ids: Iterable[int]) -> int:
    return await Upload.filter(id__in=list(ids)).update(attached=True)


async def total_size(ids: Iterable[int]) -> int:
    # a case has a handful of files: summing here is simpler than an aggregate on two dialects
    return sum(await Upload.filter(id__in=list(ids)).values_list("size", flat=True))


async def orphans_before(cutoff: datetime, limit: int) -> list[Upload]:
    return await Upload.filter(attached=False, created_at__lt=cutoff).order_by("id").limit(limit)


async def delete_if_orphan(upload_id: int) -> bool:
    """Only while still unattached: a case attaching it at the same moment wins."""
    return await Upload.filter(id=upload_id, attached=False).delete() == 1
