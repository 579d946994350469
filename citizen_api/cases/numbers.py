"""Readable, unique case numbers: department prefix + date + sequence, e.g. GA20261123000042.

The sequence is one atomic upsert per number (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) on a
counter row per department and day: concurrent submissions queue on that row instead of reading
``max()+1`` and colliding. For one case the row stays locked until the submitting transaction
ends, so a rolled-back submission does not leave a gap either. A bundle's numbers (``next_numbers``:
the bundle's own ``YJS`` one and its children's) are committed in a statement of their own first on
PostgreSQL: every bundle of a day shares the ``YJS`` row, and holding it to the end of each filing
queued all bundles one behind the other; a bundle that fails after its checks (a database error)
leaves a gap in those numbers instead.
"""

from __future__ import annotations

import re
from datetime import date

from citizen_api.cases.repository import bulk as bulk_repo
from citizen_api.cases.repository import cases as repo

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def prefix_for(department_code: str) -> str:
    return _NOT_ALNUM.sub("", department_code.upper())[:12] or "XX"


async def next_number(department_code: str, day: date) -> str:
    prefix = prefix_for(department_code)
    stamp = day.strftime("%Y%m%d")
    sequence = await repo.next_sequence(prefix, stamp)
    return f"{prefix}{stamp}{sequence:06d}"


async def next_numbers(wanted: dict[str, int], day: date) -> dict[str, list[str]]:
    """``wanted[code]`` new numbers for each department code (or prefix) at once, in one upsert over all
    their counter rows: ``{code: [numbers, in order]}`` (filing a bundle: one number per child)."""
    stamp = day.strftime("%Y%m%d")
    counts: dict[str, int] = {}
    for code, count in wanted.items():
        counts[prefix_for(code)] = counts.get(prefix_for(code), 0) + count
    last = await bulk_repo.next_sequences_apart(counts, stamp)
    taken: dict[str, int] = {}
    out: dict[str, list[str]] = {}
    for code, count in wanted.items():
        prefix = prefix_for(code)
        first = last[prefix] - counts[prefix] + 1 + taken.get(prefix, 0)
        taken[prefix] = taken.get(prefix, 0) + count
        out[code] = [f"{prefix}{stamp}{n:06d}" for n in range(first, first + count)]
    return out
