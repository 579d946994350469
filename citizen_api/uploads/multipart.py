"""multipart/form-data read as it arrives (python-multipart's streaming parser), part by part.

Only the current network chunk is ever held: the parser's callbacks collect the events of one
chunk, which are handed on before the next chunk is read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_HEADERS_PER_PART = 8
MAX_HEADER_LINE = 4096


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class PartStart:
    name: str
    filename: str | None  # None: a plain field, not a file


@dataclass(frozen=True)
class PartData:
    data: bytes


@dataclass(frozen=True)
class PartEnd:
    pass


Event = PartStart | PartData | PartEnd


def boundary_of(content_type: str) -> bytes | None:
    mime, options = parse_options_header(content_type)
    if mime != b"multipart/form-data":
        return None
    boundary = options.get(b"boundary", b"")
    return boundary if 0 < len(boundary) <= 200 else None


async def read_parts(chunks: AsyncIterator[bytes], boundary: bytes) -> AsyncIterator[Event]:
    events: list[Event] = []
    headers: dict[bytes, bytes] = {}
    field = bytearray()
    value = bytearray()
    ended = False

    def on_part_begin() -> None:
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        value.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(field).strip().lower()] = bytes(value).strip()
        field.clear()
        value.clear()

    def on_headers_finished() -> None:
        events.append(_part_start(headers.get(b"content-disposition", b"")))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if end > start:
            events.append(PartData(data[start:end]))

    def on_part_end() -> None:
        events.append(PartEnd())

    def on_end() -> None:
        nonlocal ended
        ended = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        },
        max_header_count=MAX_HEADERS_PER_PART,
        max_header_size=MAX_HEADER_LINE,
    )
    async for chunk in chunks:
        if not chunk:
            continue
        try:
            parser.write(chunk)
        except FormParserError as exc:
            raise MultipartError(str(exc)) from None
        for event in events:
            yield event
        events.clear()
    if not ended:
        raise MultipartError("the body ended before the closing boundary")


def _part_start(disposition: bytes) -> PartStart:
    kind, options = parse_options_header(disposition.decode("latin-1"))
    if kind != b"form-data" or b"name" not in options:
        raise MultipartError("a part without Content-Disposition: form-data; name=…")
    # browsers and wx.uploadFile send UTF-8 bytes in the quoted names
    name = options[b"name"].decode("utf-8", errors="replace")
    filename = options.get(b"filename")
    return PartStart(name, filename.decode("utf-8", errors="replace") if filename is not None else None)
