"""What the catalog hands the search index: plain rows (thousands are read per build).

Re-exported by ``catalog.schemas``, where other domains import them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IndexedItem:
    """A published item's summary columns with its department, as the search index reads them."""

    item_id: int
    version_id: int
    code: str
    name: str
    department: str
    department_name: str
    audience: str
    item_type: str
    trips: int
    online: bool
    deliverable: bool
    bookable: bool
    promised_days: int
    statutory_days: int
    views: int
    applications: int


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """What a published version adds to its item's searchable text (a version never changes)."""

    keywords: tuple[str, ...] = ()
    result_name: str = ""
