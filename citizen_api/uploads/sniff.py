"""What a file really is, from its bytes (puremagic), checked against an allow-list and its name.

Zip-based formats (OFD, DOCX, XLSX) look alike at the start; they are told apart by the entry
names in the zip's central directory, read from the stored file's end (no decompression).
"""

from __future__ import annotations

import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import puremagic

HEAD_BYTES = 8192  # enough for every signature we accept
ZIP_LOCAL_HEADER = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    code: str
    mime: str
    extensions: tuple[str, ...]
    label: str
    zip_based: bool = False


ALLOWED: tuple[FileType, ...] = (
    FileType("pdf", "application/pdf", (".pdf",), "PDF"),
    FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG 图片"),
    FileType("png", "image/png", (".png",), "PNG 图片"),
    FileType("webp", "image/webp", (".webp",), "WEBP 图片"),
    FileType("heic", "image/heic", (".heic", ".heif"), "HEIC 照片"),
    FileType("ofd", "application/ofd", (".ofd",), "OFD 版式文件", zip_based=True),
    FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        "Word 文档",
        zip_based=True,
    ),
    FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        "Excel 表格",
        zip_based=True,
    ),
)
BY_EXTENSION = {ext: t for t in ALLOWED for ext in t.extensions}
ALLOWED_EXTENSIONS = sorted(BY_EXTENSION)
# puremagic's MIME names for the non-zip types we accept
_MAGIC_MIMES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heic",
}
ZIP = "zip"  # a zip whose kind is decided from its entry names


def claimed(extension: str) -> FileType | None:
    return BY_EXTENSION.get(extension.lower())


def sniff_head(head: bytes) -> str:
    """An allowed type's code, ``ZIP`` (decide later), or what the bytes look like (to report)."""
    if not head:
        return "empty"
    if head.startswith(ZIP_LOCAL_HEADER):
        return ZIP
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return "unknown"
    if not matches:
        return "unknown"
    best = max(m.confidence for m in matches)
    for match in matches:
        if match.confidence == best and match.mime_type in _MAGIC_MIMES:
            return _MAGIC_MIMES[match.mime_type]
    # to report: the likeliest match that has a MIME name (puremagic lists niche formats first)
    named = next((m.mime_type for m in matches if m.mime_type), None)
    return named or matches[0].extension.lstrip(".") or "unknown"


def classify_zip(names: list[str]) -> str:
    """OFD (GB/T 33190: OFD.xml at the root), DOCX (word/), XLSX (xl/); macros are refused."""
    entries = set(names)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "office-with-macros"
    if "OFD.xml" in entries:
        return "ofd"
    if "[Content_Types].xml" in entries:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
        return "office-other"
    return "application/zip"


class NotAZip(ValueError):
    pass


ReadRange = Callable[[int, int], Awaitable[bytes]]
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
MAX_CENTRAL_DIRECTORY = 8 * 1024 * 1024
MAX_ENTRIES = 50_000


async def zip_entry_names(read_range: ReadRange, size: int) -> list[str]:
    """Entry names from the central directory at the end of a stored zip of ``size`` bytes."""
    tail_len = min(size, 22 + 0xFFFF)
    tail = await read_range(size - tail_len, tail_len)
    pos = tail.rfind(_EOCD)
    if pos < 0 or len(tail) - pos < 22:
        raise NotAZip("no end of central directory")
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4sHHHHIIH", tail[pos : pos + 22])
    if 0xFFFFFFFF in (cd_size, cd_offset) or entries == 0xFFFF:
        cd_size, cd_offset = await _zip64_directory(read_range, tail, pos, size)
    if cd_size > MAX_CENTRAL_DIRECTORY or cd_offset + cd_size > size:
        raise NotAZip("central directory out of bounds")
    directory = await read_range(cd_offset, cd_size)
    names: list[str] = []
    offset = 0
    while offset + 46 <= len(directory) and len(names) < MAX_ENTRIES:
        if directory[offset : offset + 4] != _CENTRAL:
            raise NotAZip("bad central directory entry")
        flags = struct.unpack_from("<H", directory, offset + 8)[0]
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", directory, offset + 28)
        raw = directory[offset + 46 : offset + 46 + name_len]
        names.append(raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace"))
        offset += 46 + name_len + extra_len + comment_len
    return names


async def _zip64_directory(read_range: ReadRange, tail: bytes, pos: int, size: int) -> tuple[int, int]:
    locator = tail[pos - 20 : pos] if pos >= 20 else b""
    if not locator.startswith(_EOCD64_LOCATOR):
        raise NotAZip("zip64 locator missing")
    record_offset = struct.unpack_from("<Q", locator, 8)[0]
    if record_offset + 56 > size:
        raise NotAZip("zip64 record out of bounds")
    record = await read_range(record_offset, 56)
    if not record.startswith(_EOCD64):
        raise NotAZip("zip64 record missing")
    cd_size, cd_offset = struct.unpack_from("<QQ", record, 40)
    return cd_size, cd_offset
