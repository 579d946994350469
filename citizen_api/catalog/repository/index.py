"""What the search index reads (published rows, search terms, popularity), the synonyms, and the
catalog revision that tells every API process to rebuild its index."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from citizen_api.catalog.models import CatalogRevision, Department, ItemVersion, ServiceItem, Synonym
from citizen_api.catalog.schemas import IndexedItem, SearchTerms

REVISION_ROW = 1
_CHUNK = 500  # SQLite limits the number of bound parameters


# ---- revision --------------------------------------------------------------------------------


async def ensure_revision_row() -> None:
    if await CatalogRevision.exists(id=REVISION_ROW):
        return
    with contextlib.suppress(IntegrityError):  # another process created it first
        await CatalogRevision.create(id=REVISION_ROW, revision=0)


async def bump_revision() -> None:
    updated = await CatalogRevision.filter(id=REVISION_ROW).update(revision=F("revision") + 1)
    if not updated:
        await CatalogRevision.create(id=REVISION_ROW, revision=1)


async def current_revision() -> int:
    rows = await CatalogRevision.filter(id=REVISION_ROW).values_list("revision", flat=True)
    return int(rows[0]) if rows else 0


# ---- synonyms --------------------------------------------------------------------------------


async def list_synonyms() -> list[Synonym]:
    return await Synonym.all().order_by("term", "canonical")


async def synonym_pairs() -> list[tuple[str, str]]:
    return [(t, c) for t, c in await Synonym.all().values_list("term", "canonical")]


async def synonym_exists(term: str, canonical: str) -> bool:
    return await Synonym.exists(term=term, canonical=canonical)


async def add_synonym(term: str, canonical: str) -> Synonym:
    return await Synonym.create(term=term, canonical=canonical)


async def delete_synonym(synonym_id: int) -> bool:
    return await Synonym.filter(id=synonym_id).delete() > 0


# ---- the published catalog -------------------------------------------------------------------


async def indexed_items() -> list[IndexedItem]:
    """Every published item's summary columns with its department (two queries, no join)."""
    rows = await ServiceItem.filter(is_published=True, published_version_id__isnull=False).values_list(
        "id",
        "published_version_id",
        "code",
        "name",
        "department_id",
        "audience",
        "item_type",
        "trips",
        "online",
        "deliverable",
        "bookable",
        "promised_days",
        "statutory_days",
        "views",
        "applications",
    )
    departments = {
        i: (code, name) for i, code, name in await Department.all().values_list("id", "code", "name")
    }
    items = []
    for item_id, version_id, code, name, department_id, *summary, views, applications in rows:
        department, department_name = departments.get(department_id, ("", ""))
        items.append(
            IndexedItem(
                item_id, version_id, code, name, department, department_name, *summary, views, applications
            )
        )
    return items


async def search_terms(version_ids: Iterable[int]) -> dict[int, SearchTerms]:
    """The keywords and the result's name of each version's guide."""
    ids = list(version_ids)
    terms: dict[int, SearchTerms] = {}
    for start in range(0, len(ids), _CHUNK):
        for version_id, guide in await ItemVersion.filter(id__in=ids[start : start + _CHUNK]).values_list(
            "id", "guide"
        ):
            guide = guide or {}
            keywords = tuple(str(k) for k in guide.get("keywords", []) if k)
            terms[version_id] = SearchTerms(keywords, str((guide.get("result") or {}).get("name", "")))
    return terms


async def popularity_counts() -> dict[int, tuple[int, int]]:
    """(views, applications) of every published item, by item id."""
    rows = await ServiceItem.filter(is_published=True).values_list("id", "views", "applications")
    return {item_id: (views, applications) for item_id, views, applications in rows}
