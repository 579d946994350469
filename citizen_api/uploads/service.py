"""Uploads: receive, serve to the owner, hand to cases, clean up orphans.

For the catalog: :func:`claim_staff_uploads` (blank forms and samples: staff files only, kept from
the orphan cleaner), :func:`files_by_id` (their names for the guide), :func:`public_response`
(serve one to anyone, after the catalog checked it belongs to a published guide).

For the cases domain: :func:`owned_uploads` (the citizen's own files among the ids given),
:func:`mark_attached` (in the case's transaction, so the orphan cleaner leaves them),
:func:`staff_open` (after the caller's department scope check), :func:`preview_links` (signed
links to preview files the caller has shown a staff member, ``preview.py``).

Other domains get ``UploadOut`` (``uploads.schemas``), never the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import anyio
import structlog
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from tortoise.exceptions import IntegrityError

from citizen_api.errors import ApiError
from citizen_api.jobs import JobContext
from citizen_api.security.principal import Principal
from citizen_api.uploads import preview
from citizen_api.uploads import quota as quotas
from citizen_api.uploads import repository as repo
from citizen_api.uploads.models import Upload
from citizen_api.uploads.quota import Quota
from citizen_api.uploads.receive import StoredFile, receive_file
from citizen_api.uploads.schemas import UploadOut, UploadPreview
from citizen_api.uploads.storage import Storage
from citizen_api.users import service as users

log = structlog.get_logger("onetrip.uploads")

ORPHAN_BATCH = 500


@dataclass(frozen=True)
class Received:
    """A file in storage whose row is not written yet (:func:`record`, or :func:`discard` it)."""

    file: StoredFile
    quota: Quota | None  # the citizen's unattached bytes when the upload began


async def receive(request: Request, principal: Principal, storage: Storage, settings) -> Received:
    """Stream the body into storage; size, type and the citizen's quota are checked on the way."""
    # citizens hold at most upload_unattached_quota_bytes of files not yet used by a case
    quota = await quotas.current(principal.user_id, settings) if principal.is_citizen else None
    stored = await receive_file(
        request.headers.get("content-type", ""),
        request.headers.get("content-length", ""),
        request.stream(),
        storage,
        settings.upload_max_bytes,
        quota,
    )
    return Received(stored, quota)


async def record(received: Received, principal: Principal) -> UploadOut:
    """The row of a received file (in the request's unit of work, after the body was stored)."""
    stored = received.file
    if received.quota is not None:
        await quotas.confirm(received.quota, stored.size)  # parallel uploads cannot pass it together
    upload = await repo.create(
        principal.user_id, stored.key, stored.filename, stored.content_type, stored.size, stored.sha256
    )
    return UploadOut.model_validate(upload)


async def discard(storage: Storage, received: Received) -> None:
    """Remove a received file whose row was not written (refused, failed or cancelled)."""
    with anyio.CancelScope(shield=True):
        await storage.delete(received.file.key)


def _not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "文件不存在")


async def get_own(upload_id: int, principal: Principal) -> Upload:
    upload = await repo.get(upload_id)
    if upload is None or upload.owner_id != principal.user_id:
        raise _not_found()  # another citizen's file is 404, never 403
    return upload


PUBLIC_CACHE = "public, max-age=300"  # a blank form taken offline stops being served within 5 min


def _download_headers(upload: Upload, cache_control: str) -> dict[str, str]:
    # RFC 6266 / 5987: an ASCII fallback, and the real (Chinese) name percent-encoded as UTF-8
    ascii_name = upload.filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(upload.filename)}"
    return {
        "Content-Disposition": disposition,
        "ETag": f'"{upload.sha256}"',
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",  # the sniffed type stands; never rendered as anything else
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


async def content_response(
    storage: Storage, upload: Upload, *, cache_control: str = "private, no-store"
) -> StreamingResponse:
    """The file's bytes, streamed, as a download with its display name and sniffed type."""
    if not await storage.exists(upload.storage_key):
        log.error("upload file missing from storage", upload_id=upload.id)
        raise ApiError(404, "NOT_FOUND", "文件已不存在")
    headers = {"Content-Length": str(upload.size), **_download_headers(upload, cache_control)}
    return StreamingResponse(
        storage.read(upload.storage_key), media_type=upload.content_type, headers=headers
    )


# -- for the catalog --


async def _staff_files(ids: Iterable[int]) -> dict[int, Upload]:
    """The uploads among ``ids`` made by staff (a citizen's file is never among them)."""
    uploads = await repo.by_ids(i for i in ids if i)
    staff = await users.staff_ids_among({u.owner_id for u in uploads})
    return {u.id: u for u in uploads if u.owner_id in staff}


async def claim_staff_uploads(ids: Iterable[int]) -> set[int]:
    """Staff uploads among ``ids`` marked as in use (never orphans); a citizen's file is never among them."""
    ok = list(await _staff_files(ids))
    if not ok:
        return set()
    await repo.mark_attached(ok)
    # a row the orphan cleaner deleted meanwhile is gone now: only what is really there counts
    return await repo.attached_among(ok)


async def files_by_id(ids: Iterable[int]) -> dict[int, UploadOut]:
    """Blank forms and samples by id: staff files only (a citizen's file never shows in a guide)."""
    return {i: UploadOut.model_validate(u) for i, u in (await _staff_files(ids)).items()}


async def public_response(storage: Storage, upload_id: int, if_none_match: str = "") -> Response:
    """Serve a file to anyone: the caller has checked it is a published guide's blank form or sample."""
    # staff files only, even if an older guide names a citizen's upload
    upload = (await _staff_files([upload_id])).get(upload_id)
    if upload is None:
        raise ApiError(404, "NOT_FOUND", "文件不存在")
    if f'"{upload.sha256}"' in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        headers = _download_headers(upload, PUBLIC_CACHE)
        return Response(status_code=304, headers={k: headers[k] for k in ("ETag", "Cache-Control")})
    return await content_response(storage, upload, cache_control=PUBLIC_CACHE)


# -- for the cases domain --


async def owned_uploads(owner_id: int, ids: Iterable[int]) -> list[UploadOut]:
    """The uploads among ``ids`` that belong to ``owner_id`` (compare lengths to spot others')."""
    return [UploadOut.model_validate(u) for u in await repo.owned(owner_id, set(ids))]


async def mark_attached(ids: Iterable[int]) -> int:
    """Mark uploads as used by a case (no longer orphans); returns how many rows changed."""
    return await repo.mark_attached(set(ids))


async def staff_open(upload_id: int, storage: Storage) -> StreamingResponse:
    """Stream an upload to staff. The caller has checked the case is in the staff member's scope."""
    upload = await repo.get(upload_id)
    if upload is None:
        raise _not_found()
    return await content_response(storage, upload)


def preview_links(upload_ids: Iterable[int], settings) -> dict[int, UploadPreview]:
    """Short-lived signed preview links, by upload id. The caller has checked the staff member may
    see these files (and put the issue on the record): the link itself needs no token."""
    return preview.issue(list(upload_ids), settings)


# -- orphans --


async def clean_orphans(ctx: JobContext) -> int:
    """Periodic job: :func:`remove_orphans` with the process's storage."""
    return await remove_orphans(ctx.now, ctx.state.storage, ctx.settings)


async def remove_orphans(now: datetime, storage: Storage, settings) -> int:
    """Delete uploads never attached to a case within ``upload_orphan_hours``; returns how many."""
    max_age = timedelta(hours=settings.upload_orphan_hours)
    cutoff = now - max_age
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
