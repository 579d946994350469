"""Uploads: receive, serve to the owner, hand to cases, clean up orphans.

For the cases domain: :func:`owned_uploads` (the citizen's own files among the ids given),
:func:`total_size` (per-case cap), :func:`mark_attached` (in the case's transaction, so the
orphan cleaner leaves them), :func:`staff_open` (after the caller's department scope check).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import quote

import anyio
import structlog
from starlette.requests import Request
from starlette.responses import StreamingResponse
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.uploads import repository as repo
from citizen_api.uploads.models import Upload
from citizen_api.uploads.receive import receive_file
from citizen_api.uploads.storage import Storage, active

log = structlog.get_logger("onetrip.uploads")

ORPHAN_BATCH = 500


async def receive(request: Request, principal: Principal, storage: Storage, settings) -> Upload:
    stored = await receive_file(
        request.headers.get("content-type", ""),
        request.headers.get("content-length", ""),
        request.stream(),
        storage,
        settings.upload_max_bytes,
    )
    try:
        async with in_transaction():
            return await repo.create(
                principal.user_id,
                stored.key,
                stored.filename,
                stored.content_type,
                stored.size,
                stored.sha256,
            )
    except BaseException:
        with anyio.CancelScope(shield=True):
            await storage.delete(stored.key)
        raise


def _not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "文件不存在")


async def get_own(upload_id: int, principal: Principal) -> Upload:
    upload = await repo.get(upload_id)
    if upload is None or upload.owner_id != principal.user_id:
        raise _not_found()  # another citizen's file is 404, never 403
    return upload


async def content_response(storage: Storage, upload: Upload) -> StreamingResponse:
    """The file's bytes, streamed, as a download with its display name."""
    if not await storage.exists(upload.storage_key):
        log.error("upload file missing from storage", upload_id=upload.id)
        raise ApiError(404, "NOT_FOUND", "文件已不存在")
    ascii_name = upload.filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(upload.filename)}"
    headers = {
        "Content-Length": str(upload.size),
        "Content-Disposition": disposition,
        "ETag": f'"{upload.sha256}"',
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(
        storage.read(upload.storage_key), media_type=upload.content_type, headers=headers
    )


# -- for the cases domain --


async def owned_uploads(owner_id: int, ids: Iterable[int], *, lock: bool = False) -> list[Upload]:
    """The uploads among ``ids`` that belong to ``owner_id`` (compare lengths to spot others').

    ``lock=True`` inside a transaction (PostgreSQL) keeps the orphan cleaner off them until commit.
    """
    return await repo.owned(owner_id, set(ids), lock=lock)


async def total_size(upload_ids: Iterable[int]) -> int:
    return await repo.total_size(set(upload_ids))


async def mark_attached(ids: Iterable[int]) -> int:
    """Mark uploads as used by a case (no longer orphans); returns how many rows changed."""
    return await repo.mark_attached(set(ids))


async def staff_open(upload_id: int, storage: Storage | None = None) -> StreamingResponse:
    """Stream an upload to staff. The caller has checked the case is in the staff member's scope."""
    upload = await repo.get(upload_id)
    if upload is None:
        raise _not_found()
    return await content_response(storage or active()[0], upload)


# -- orphans --


async def clean_orphans(now: datetime | None = None, *, storage: Storage | None = None, settings=None) -> int:
    """Delete uploads never attached to a case within ``upload_orphan_hours``; returns how many."""
    default_storage, settings = active(settings)
    storage = storage or default_storage
    max_age = timedelta(hours=settings.upload_orphan_hours)
    cutoff = (now or clock.now()) - max_age
    removed = 0
    while True:
        batch = await repo.orphans_before(cutoff, ORPHAN_BATCH)
        for upload in batch:
            try:
                deleted = await repo.delete_if_orphan(upload.id)
            except IntegrityError:
                # a case refers to it but never marked it: it is not an orphan, heal the flag
                log.warning("unmarked upload in use by a case", upload_id=upload.id)
                await repo.mark_attached([upload.id])
                continue
            if deleted:
                removed += 1
                try:
                    await storage.delete(upload.storage_key)
                except OSError as exc:
                    log.warning("orphan file not removed", upload_id=upload.id, error=str(exc))
        if len(batch) < ORPHAN_BATCH:
            break
    # writes a crashed process left half-done (never visible as uploads)
    partials = await storage.sweep_partials(max_age.total_seconds())
    if removed or partials:
        log.info("orphan uploads removed", uploads=removed, partial_files=partials)
    return removed
