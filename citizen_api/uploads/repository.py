"""Upload queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tortoise.functions import Sum

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


async def by_ids(ids: Iterable[int]) -> list[Upload]:
    wanted = list(set(ids))
    return await Upload.filter(id__in=wanted).order_by("id") if wanted else []


async def owned(owner_id: int, ids: Iterable[int]) -> list[Upload]:
    return await Upload.filter(owner_id=owner_id, id__in=list(ids)).order_by("id")


async def mark_attached(ids: Iterable[int]) -> int:
    """Rows already attached are left alone, unlocked: a citizen filing two cases (or a bundle and a
    case) at once with the same uploads deadlocked on these rows otherwise (bench/bundle_submit.py
    with two API processes)."""
    return await Upload.filter(id__in=sorted(set(ids)), attached=False).update(attached=True)


async def attached_among(ids: Iterable[int]) -> set[int]:
    return set(await Upload.filter(id__in=list(ids), attached=True).values_list("id", flat=True))


async def orphans_before(cutoff: datetime, limit: int) -> list[Upload]:
    return await Upload.filter(attached=False, created_at__lt=cutoff).order_by("id").limit(limit)


async def delete_if_orphan(upload_id: int) -> bool:
    """Only while still unattached: a case attaching it at the same moment wins."""
    return await Upload.filter(id=upload_id, attached=False).delete() == 1


async def unattached_bytes(owner_id: int, since: datetime) -> int:
    """Bytes of the owner's uploads not used by a case, made since ``since`` (older ones are orphans)."""
    rows = await (
        Upload.filter(owner_id=owner_id, attached=False, created_at__gte=since)
        .annotate(total=Sum("size"))
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0
