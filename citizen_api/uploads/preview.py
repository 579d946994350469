"""Signed, short-lived preview links for staff (``<img>`` and PDF previews in the workbench).

A link names one upload and the moment it stops working, signed with HMAC-SHA256 under a key
derived from the JWT secret: ``/api/v1/files/{upload_id}/preview?exp=<unix seconds>&sig=<hex>``.
It is served without the bearer token, so no token ever sits in a URL; whoever issues links
(the cases domain, from a staff detail it has checked and audited) decides who may see the file.

The answer never lets the browser guess: only types that render safely inline are inline
(JPEG, PNG, PDF), anything else is an ``application/octet-stream`` download; always ``nosniff``,
a CSP blocking every fetch (and sandboxing all but PDFs), and a private cache no longer than the link lives.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote

import structlog
from starlette.responses import StreamingResponse

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.uploads import repository as repo
from citizen_api.uploads.schemas import UploadPreview
from citizen_api.uploads.storage import Storage

log = structlog.get_logger("onetrip.uploads")

API_PREFIX = "/api/v1"
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


def _key(settings) -> bytes:
    return hashlib.sha256(b"onetrip-file-preview:" + settings.jwt_secret.encode()).digest()


def _signature(upload_id: int, exp: int, settings) -> str:
    return hmac.new(_key(settings), f"preview:{upload_id}:{exp}".encode(), hashlib.sha256).hexdigest()


def issue(upload_ids: list[int], settings) -> dict[int, UploadPreview]:
    """One link per upload, all expiring together ``preview_link_seconds`` from now."""
    exp = int(clock.now().timestamp()) + settings.preview_link_seconds
    expires_at = datetime.fromtimestamp(exp, tz=clock.CST)
    return {
        upload_id: UploadPreview(
            upload_id=upload_id,
            url=f"{API_PREFIX}/files/{upload_id}/preview?exp={exp}"
            f"&sig={_signature(upload_id, exp, settings)}",
            expires_at=expires_at,
        )
        for upload_id in dict.fromkeys(upload_ids)
    }


def invalid_link() -> ApiError:
    return ApiError(403, "PREVIEW_LINK_INVALID", "预览链接无效或已过期，请重新打开办件详情")


def check(upload_id: int, exp: int, sig: str, settings) -> int:
    """The seconds the link has left; 403 PREVIEW_LINK_INVALID when forged or expired."""
    expected = _signature(upload_id, exp, settings)
    if not hmac.compare_digest(expected.encode(), sig.lower().encode()):  # bytes: any input compares
        raise invalid_link()
    left = exp - int(clock.now().timestamp())
    if left <= 0:
        raise invalid_link()
    return left


# framed only by this origin's own pages (the workbench previews PDFs in an <iframe>)
_CSP = "default-src 'none'; frame-ancestors 'self'; sandbox"
# Chromium refuses to run its PDF viewer in a sandboxed document, and the viewer's page needs its
# inline styles: a PDF keeps every fetch blocked but is not sandboxed (the viewer runs PDF scripts
# in its own isolated process, never with this origin's cookies)
_PDF_CSP = "default-src 'none'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"


def _headers(filename: str, content_type: str, size: int, left: int) -> tuple[str, dict[str, str]]:
    inline = content_type in INLINE_TYPES
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = "inline" if inline else "attachment"
    return (content_type if inline else "application/octet-stream"), {
        "Content-Length": str(size),
        "Content-Disposition": (
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        # older browsers read only this one: the same rule as frame-ancestors 'self' (the middleware's DENY
        # would stop the workbench's own PDF frame)
        "X-Frame-Options": "SAMEORIGIN",
        "Content-Security-Policy": _PDF_CSP if content_type == "application/pdf" else _CSP,
        "Cache-Control": f"private, max-age={left}",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


async def serve(upload_id: int, exp: int, sig: str, storage: Storage, settings) -> StreamingResponse:
    """The file of a valid link, inline when its type is safe to render."""
    left = check(upload_id, exp, sig, settings)
    upload = await repo.get(upload_id)
    if upload is None or not await storage.exists(upload.storage_key):
        if upload is not None:
            log.error("upload file missing from storage", upload_id=upload_id)
        raise ApiError(404, "NOT_FOUND", "文件不存在")
    media_type, headers = _headers(upload.filename, upload.content_type, upload.size, left)
    return StreamingResponse(storage.read(upload.storage_key), media_type=media_type, headers=headers)
