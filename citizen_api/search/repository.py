"""Search queries: the catalog revision, synonyms, and reading the published catalog for a build."""

from __future__ import annotations

import contextlib

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from citizen_api.catalog.models import Department, ItemVersion, ServiceItem
from citizen_api.search.index import ItemRecord
from citizen_api.search.models import CatalogRevision, Synonym

REVISION_ROW = 1
APPLICATION_WEIGHT = 10  # one application says more about what citizens need than one view
_CHUNK = 500  # SQLite limits the number of bound parameters


# ---- revision --------------------------------------------------------------------------------


async def ensure_revision_row() -> None:
    if await CatalogRevision.exists(id=REVISION_ROW):
        return
    with contextlib.suppress(IntegrityError):  # another process created it first
        await CatalogRevision.create(id=REVISION_ROW, revision=0)


async def bump_revision() -> None:
    """Tell every API process that the catalog changed (commits with the change itself)."""
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


def popularity_of(views: int, applications: int) -> int:
    return views + APPLICATION_WEIGHT * applications


async def popularity() -> dict[int, int]:
    rows = await ServiceItem.filter(is_published=True).values_list("id", "views", "applications")
    return {item_id: popularity_of(views, apps) for item_id, views, apps in rows}


async def load_records(guide_cache: dict[int, tuple[tuple[str, ...], str]]) -> list[ItemRecord]:
    """Every published item, with its keywords and result name from the published version.

    ``guide_cache`` (version id → keywords, result name) spares re-reading guides: a published
    version never changes, only the item's pointer to it does.
    """
    rows = await ServiceItem.filter(is_published=True, published_version_id__isnull=False).values(
        "id",
        "code",
        "name",
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
        "department_id",
        "published_version_id",
    )
    departments = {d["id"]: d for d in await Department.all().values("id", "code", "name")}
    missing = [r["published_version_id"] for r in rows if r["published_version_id"] not in guide_cache]
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        for row in await ItemVersion.filter(id__in=chunk).values("id", "guide"):
            guide = row["guide"] or {}
            keywords = tuple(str(k) for k in guide.get("keywords", []) if k)
            guide_cache[row["id"]] = (keywords, str((guide.get("result") or {}).get("name", "")))
    records = []
    for r in rows:
        department = departments.get(r["department_id"], {"code": "", "name": ""})
        keywords, result_name = guide_cache.get(r["published_version_id"], ((), ""))
        records.append(
            ItemRecord(
                item_id=r["id"],
                version_id=r["published_version_id"],
                code=r["code"],
                name=r["name"],
                department=department["code"],
                department_name=department["name"],
                audience=r["audience"],
                item_type=r["item_type"],
                trips=r["trips"],
                online=r["online"],
                deliverable=r["deliverable"],
                bookable=r["bookable"],
                promised_days=r["promised_days"],
                legal_days=r["statutory_days"],
                keywords=keywords,
                result_name=result_name,
                popularity=popularity_of(r["views"], r["applications"]),
            )
        )
    return records
