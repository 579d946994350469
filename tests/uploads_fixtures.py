"""Small real files of each kind (and spoofs), built in memory, plus a raw multipart body builder."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

BOUNDARY = "onetrip-test-boundary-7MA4YWxkTrZu0gW"


def png(extra: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    text = chunk(b"tEXt", b"Comment\x00" + b"x" * extra) if extra else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + text
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf(size: int = 2000) -> bytes:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    filler = bytes(range(256)) * (size // 256 + 1)
    return (body + filler)[: max(size - 6, len(body))] + b"\n%%EOF"


def readable_pdf(text: str) -> bytes:
    """A one-page PDF a viewer renders (``text`` in Helvetica, ASCII), with a correct xref table:
    for pages that show the file, where ``pdf()``'s filler would be a viewer's error box."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00*\x00\x00\x00\x08" + b"\x11" * 3000 + b"\xff\xd9"


def webp() -> bytes:
    payload = b"WEBPVP8 " + struct.pack("<I", 100) + b"\x00" * 100
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def heic() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 500


def zipped(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, f"<x>{name}</x>" * 20)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped(["[Content_Types].xml", "_rels/.rels", "word/document.xml", "docProps/core.xml"])


def xlsx() -> bytes:
    return zipped(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"])


def docm() -> bytes:
    return zipped(["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"])


def ofd() -> bytes:
    return zipped(["OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"])


def exe() -> bytes:
    stub = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"
    return stub + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 4000


def html() -> bytes:
    return b"<!DOCTYPE html><html><head><script>alert(document.cookie)</script></head><body></body></html>"


def part(filename: bytes | None, content: bytes, field: str = "file") -> bytes:
    disposition = b'form-data; name="' + field.encode() + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    return (
        b"--" + BOUNDARY.encode() + b"\r\n"
        b"Content-Disposition: " + disposition + b"\r\n"
        b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
    )


def multipart(filename: bytes | None, content: bytes, field: str = "file", closed: bool = True) -> bytes:
    """A hand-built body, so tests control the exact bytes of the file name."""
    body = part(filename, content, field)
    return body + (b"--" + BOUNDARY.encode() + b"--\r\n" if closed else b"")


CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


class StreamedBody:
    """A multipart body produced chunk by chunk (no Content-Length); counts what was pulled."""

    def __init__(self, filename: str, head: bytes, total: int, chunk: int = 64 * 1024) -> None:
        self.filename = filename
        self.head = head
        self.total = total
        self.chunk = chunk
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        envelope = multipart(self.filename.encode(), b"", closed=False)[:-2]  # the file's bytes follow
        yield envelope
        self.pulled += len(envelope)
        sent = 0
        block = bytes(range(256)) * (self.chunk // 256)
        while sent < self.total:
            data = self.head if sent == 0 else block
            yield data
            sent += len(data)
            self.pulled += len(data)
        yield b"\r\n--" + BOUNDARY.encode() + b"--\r\n"


def stored_files(root: Path) -> list[Path]:
    """Every file under the storage directory, partial writes included."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
