"""Receiving one uploaded file: streamed to storage while counting, hashing and sniffing.

Nothing holds the whole file: each network chunk is parsed, hashed and handed to the storage
writer. The request is refused as soon as it is known to be bad — past the size cap or the
owner's quota (``quota.py``), or once the first bytes show the wrong type — and the partial file
is removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
from starlette.requests import ClientDisconnect

from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.uploads import sniff
from citizen_api.uploads.filenames import display_name, extension
from citizen_api.uploads.multipart import (
    MultipartError,
    PartData,
    PartEnd,
    PartStart,
    boundary_of,
    read_parts,
)
from citizen_api.uploads.quota import Quota
from citizen_api.uploads.storage import Storage, StorageWriter, new_key

FIELD = "file"
ENVELOPE_BYTES = 64 * 1024  # multipart headers and small extra fields around the file
MAX_PARTS = 10


@dataclass(frozen=True)
class StoredFile:
    key: str
    filename: str
    content_type: str
    size: int
    sha256: str


def too_large(cap: int) -> ApiError:
    return ApiError(
        413,
        "UPLOAD_TOO_LARGE",
        f"文件过大，单个文件不能超过 {_readable(cap)}",
        {"max_bytes": cap},
    )


def _readable(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def type_rejected(detected: str, claimed: str) -> ApiError:
    return ApiError(
        415,
        "UPLOAD_TYPE_REJECTED",
        "文件类型不支持或与文件名不符，请上传 PDF、JPG、PNG、OFD、Word 或 Excel 文件",
        {"detected": detected, "claimed": claimed or None, "allowed": sniff.ALLOWED_EXTENSIONS},
    )


class FileReceiver:
    """One file part: size cap, sha256, type check on the first bytes, then on the whole."""

    def __init__(self, storage: Storage, cap: int, raw_name: str, quota: Quota | None = None) -> None:
        self.storage = storage
        self.cap = cap
        self.quota = quota
        self.filename = display_name(raw_name)
        if not self.filename:
            raise validation_error({"body.file": "缺少文件名"})
        self.claimed_ext = extension(self.filename)
        self.claimed = sniff.claimed(self.claimed_ext)
        self.size = 0
        self.hash = hashlib.sha256()
        self.head = bytearray()
        self.head_checked = False
        self.writer: StorageWriter | None = None
        self.committed = False

    async def open(self) -> None:
        self.writer = await self.storage.open_writer(new_key())

    async def feed(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise too_large(self.cap)
        if self.quota is not None and self.size > self.quota.allowance:
            raise self.quota.exceeded()
        self.hash.update(data)
        if not self.head_checked:
            self.head.extend(data[: sniff.HEAD_BYTES - len(self.head)])
            if len(self.head) >= sniff.HEAD_BYTES:
                self._check_head()
        assert self.writer is not None
        await self.writer.write(data)

    def _check_head(self) -> str:
        self.head_checked = True
        detected = sniff.sniff_head(bytes(self.head))
        self.head = bytearray()  # no longer needed
        if detected == "empty":
            raise validation_error({"body.file": "文件为空"}, "文件为空")
        expected = self.claimed
        if expected is None:
            raise type_rejected(detected, self.claimed_ext)
        if detected == sniff.ZIP and expected.zip_based:
            return detected
        if detected != expected.code:
            raise type_rejected(detected, self.claimed_ext)
        return detected

    async def finish(self) -> StoredFile:
        if not self.head_checked:
            self._check_head()
        assert self.writer is not None and self.claimed is not None
        await self.writer.commit()
        self.committed = True
        if self.claimed.zip_based:
            try:
                names = await sniff.zip_entry_names(self._read_range, self.size)
                detected = sniff.classify_zip(names)
            except sniff.NotAZip:
                detected = "damaged zip"
            if detected != self.claimed.code:
                raise type_rejected(detected, self.claimed_ext)
        return StoredFile(self.writer.key, self.filename, self.claimed.mime, self.size, self.hash.hexdigest())

    async def _read_range(self, offset: int, length: int) -> bytes:
        assert self.writer is not None
        return await self.storage.read_range(self.writer.key, offset, length)

    async def discard(self) -> None:
        if self.writer is None:
            return
        if self.committed:
            await self.storage.delete(self.writer.key)
        else:
            await self.writer.abort()


async def receive_file(
    content_type: str,
    content_length: str,
    body: AsyncIterator[bytes],
    storage: Storage,
    cap: int,
    quota: Quota | None = None,
) -> StoredFile:
    """Read a multipart body with one ``file`` part into storage; every failure leaves nothing.

    ``quota``: the owner's unattached bytes so far; the file may take at most what is left.
    """
    boundary = boundary_of(content_type)
    if boundary is None:
        raise validation_error({"body": "应为 multipart/form-data，文件字段名为 file"})
    declared = int(content_length) if content_length.isdigit() else None
    if declared is not None and declared > cap + ENVELOPE_BYTES:
        raise too_large(cap)  # refused before reading a byte
    if quota is not None and (
        quota.allowance == 0 or (declared is not None and declared > quota.allowance + ENVELOPE_BYTES)
    ):
        raise quota.exceeded()  # also before reading a byte
    receiver: FileReceiver | None = None
    current: FileReceiver | None = None
    stored: StoredFile | None = None
    parts = other_bytes = 0
    try:
        async for event in read_parts(body, boundary):
            if isinstance(event, PartData):
                if current is not None:
                    await current.feed(event.data)
                else:
                    other_bytes += len(event.data)
                    if other_bytes > ENVELOPE_BYTES:
                        raise ApiError(413, "BODY_TOO_LARGE", details={"max_bytes": ENVELOPE_BYTES})
            elif isinstance(event, PartStart):
                parts += 1
                if parts > MAX_PARTS:
                    raise validation_error({"body": "表单字段过多"})
                if event.name == FIELD:
                    if event.filename is None:
                        raise validation_error({"body.file": "应为文件"})
                    if receiver is not None:
                        raise validation_error({"body.file": "只能上传一个文件"})
                    receiver = current = FileReceiver(storage, cap, event.filename, quota)
                    await receiver.open()
            elif isinstance(event, PartEnd) and current is not None:
                stored = await current.finish()
                current = None
        if stored is None:
            raise validation_error({"body.file": "必填"})
        return stored
    except (MultipartError, ClientDisconnect) as exc:
        await _discard(receiver)
        message = "上传中断" if isinstance(exc, ClientDisconnect) else "上传内容格式不正确或不完整"
        raise validation_error({"body": message}, message) from None
    except BaseException:
        # too large, wrong type, cancelled: never leave a partial or stray file
        await _discard(receiver)
        raise


async def _discard(receiver: FileReceiver | None) -> None:
    if receiver is not None:
        with anyio.CancelScope(shield=True):
            await receiver.discard()
