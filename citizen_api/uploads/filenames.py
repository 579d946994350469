"""The client's file name, kept as display text only: no directories, no control characters, bounded."""

from __future__ import annotations

import posixpath
import unicodedata

MAX_NAME_CHARS = 100


def display_name(raw: str) -> str:
    """``../../etc/passwd`` → ``passwd``, ``C:\\x\\证明.pdf`` → ``证明.pdf``; '' if nothing is left."""
    name = unicodedata.normalize("NFC", raw)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # category C: control, format (the right-to-left override that turns "gpj.exe" around), unassigned …
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if len(name) > MAX_NAME_CHARS:
        stem, ext = posixpath.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[: MAX_NAME_CHARS - len(ext)].rstrip(". ") + ext
    return name


def extension(name: str) -> str:
    return posixpath.splitext(name)[1].lower()
