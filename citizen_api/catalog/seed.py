"""Demo catalog for ``onetrip seed-demo`` (runs in the seed's transaction, before the staff)."""

from __future__ import annotations

from citizen_api.catalog import transfer
from citizen_api.catalog.demo import demo_catalog
from citizen_api.search import repository as search_repo
from citizen_api.search.defaults import DEFAULT_SYNONYMS


async def add_default_synonyms() -> int:
    added = 0
    for term, canonical in DEFAULT_SYNONYMS:
        if not await search_repo.synonym_exists(term, canonical):
            await search_repo.add_synonym(term, canonical)
            added += 1
    if added:
        await search_repo.bump_revision()
    return added


async def seed(settings) -> str:
    report = await transfer.import_catalog(transfer.parse(demo_catalog()))
    synonyms = await add_default_synonyms()
    return f"{report.line()}; default synonyms {synonyms} added"
