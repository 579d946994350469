"""Readable, unique case numbers: department prefix + date + sequence, e.g. GA20261123000042.

The sequence is one atomic upsert per number (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) on a
counter row per department and day: concurrent submissions queue on that row instead of reading
``max()+1`` and colliding. The row stays locked until the submitting transaction ends, so a
rolled-back submission does not leave a gap either.
"""

from __future__ import annotations

import re
from datetime import date

from citizen_api.cases.repository import cases as repo

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def prefix_for(department_code: str) -> str:
    return _NOT_ALNUM.sub("", department_code.upper())[:12] or "XX"


async def next_number(department_code: str, day: date) -> str:
    prefix = prefix_for(department_code)
    stamp = day.strftime("%Y%m%d")
    sequence = await repo.next_sequence(prefix, stamp)
    return f"{prefix}{stamp}{sequence:06d}"
