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


async def staff_files(ids: Iterable[int]) -> dict[int, Upload]:
    """The uploads among ``ids`` made by staff (a citizen's file is never among them)."""
    from citizen_api.users.models import User

    wanted = list(set(ids))
    if not wanted:
        return {}
    uploads = await Upload.filter(id__in=wanted)
    owners = list({u.owner_id for u in uploads})
    staff = set(await User.filter(id__in=owners, role__not="citizen").values_list("id", flat=True))
    return {u.id: u for u in uploads if u.owner_id in staff}


async def unattached_bytes(owner_id: int, since: datetime) -> int:
    """Bytes of the owner's uploads not used by a case, made since ``since`` (older ones are orphans)."""
    rows = await (
        Upload.filter(owner_id=owner_id, attached=False, created_at__gte=since)
        .annotate(total=Sum("size"))
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0


async def lock_owner(owner_id: int) -> None:
    """Serialise one owner's quota checks until the transaction ends (PostgreSQL; SQLite has one writer)."""
    from citizen_api.users.models import User

    await User.filter(id=owner_id).select_for_update().first()


async def claim_staff_uploads(ids: Iterable[int]) -> set[int]:
    """Mark the uploads among ``ids`` made by staff as in use (the orphan cleaner leaves them).

    Returns the ids so claimed; a citizen's file (or a missing one) is not among them.
    """
    ok = list(await staff_files(ids))
    if not ok:
        return set()
    await Upload.filter(id__in=ok).update(attached=True)
    # a row the orphan cleaner deleted meanwhile is gone now: only what is really there counts
    return set(await Upload.filter(id__in=ok, attached=True).values_list("id", flat=True))
