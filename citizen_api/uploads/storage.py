"""Where uploaded bytes live. The interface is small so an S3-compatible backend can be added later.

Keys are chosen by the server (:func:`new_key`): nothing the client sends ever becomes a path.
A writer receives the bytes as they stream in and makes them visible only on ``commit``;
``abort`` leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO, Protocol

import anyio.to_thread

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
WRITE_BUFFER = 1024 * 1024  # bytes gathered before one write in a worker thread
READ_CHUNK = 256 * 1024


def new_key() -> str:
    return secrets.token_hex(16)


class StorageWriter(Protocol):
    key: str

    async def write(self, data: bytes) -> None: ...

    async def commit(self) -> None:
        """Make the object readable under ``key`` (durably)."""

    async def abort(self) -> None:
        """Drop everything written; safe to call twice or after commit failed."""


class Storage(Protocol):
    async def open_writer(self, key: str) -> StorageWriter: ...

    def read(self, key: str, chunk_size: int = READ_CHUNK) -> AsyncIterator[bytes]:
        """The object's bytes in chunks (raises FileNotFoundError on first iteration if absent)."""
        ...

    async def read_range(self, key: str, offset: int, length: int) -> bytes: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; absent is fine."""

    async def sweep_partials(self, older_than_seconds: float) -> int:
        """Remove writes abandoned by a crashed process; returns how many."""
        ...


def _checked(key: str) -> str:
    # defence in depth: keys come from new_key(), never from a client
    if not KEY_PATTERN.match(key):
        raise ValueError("invalid storage key")
    return key


class LocalStorage:
    """Files under ``root/ab/abcdef…``; writes go to ``root/.partial`` and are renamed on commit."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.partial_dir = self.root / ".partial"

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    async def open_writer(self, key: str) -> LocalWriter:
        final = self.path(key)
        partial = self.partial_dir / f"{key}.part"

        def _open() -> BinaryIO:
            self.partial_dir.mkdir(parents=True, exist_ok=True)
            return open(partial, "xb")

        return LocalWriter(key, await anyio.to_thread.run_sync(_open), partial, final)

    async def read(self, key: str, chunk_size: int = READ_CHUNK) -> AsyncIterator[bytes]:
        handle = await anyio.to_thread.run_sync(open, self.path(key), "rb")
        try:
            while chunk := await anyio.to_thread.run_sync(handle.read, chunk_size):
                yield chunk
        finally:
            handle.close()

    async def read_range(self, key: str, offset: int, length: int) -> bytes:
        def _read() -> bytes:
            with open(self.path(key), "rb") as handle:
                handle.seek(offset)
                return handle.read(length)

        return await anyio.to_thread.run_sync(_read)

    async def exists(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(lambda: self.path(key).unlink(missing_ok=True))

    async def sweep_partials(self, older_than_seconds: float) -> int:
        def _sweep() -> int:
            if not self.partial_dir.is_dir():
                return 0
            cutoff = time.time() - older_than_seconds
            removed = 0
            for entry in self.partial_dir.glob("*.part"):
                try:
                    if entry.stat().st_mtime < cutoff:
                        entry.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
            return removed

        return await anyio.to_thread.run_sync(_sweep)


class LocalWriter:
    def __init__(self, key: str, handle: BinaryIO, partial: Path, final: Path) -> None:
        self.key = key
        self._handle = handle
        self._partial = partial
        self._final = final
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._closed = False

    async def write(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= WRITE_BUFFER:
            await self._flush()

    async def _flush(self) -> None:
        if not self._buffer:
            return
        block = b"".join(self._buffer)
        self._buffer.clear()
        self._buffered = 0
        await anyio.to_thread.run_sync(self._handle.write, block)

    async def commit(self) -> None:
        await self._flush()

        def _finish() -> None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._partial, self._final)

        self._closed = True
        await anyio.to_thread.run_sync(_finish)

    async def abort(self) -> None:
        self._buffer.clear()

        def _drop() -> None:
            if not self._handle.closed:
                self._handle.close()
            self._partial.unlink(missing_ok=True)

        self._closed = True
        await anyio.to_thread.run_sync(_drop)


def storage_for(settings) -> Storage:
    return LocalStorage(Path(settings.storage_dir))
