"""The versions cases are filed under, with their materials, read once per process.

A version is edited only while it is a draft (``repository.items.replace_draft``: drafts are never
filed); once published its content and materials never change, only its status moves on (retired).
So a published or retired version read once is kept, per application state (a test's app, a server
process), and a bundle of four items is checked without reading the catalog's tables again. Drafts
are never kept. Outside a request or job (the CLI) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from citizen_api import db
from citizen_api.catalog.repository import items as repo
from citizen_api.catalog.schemas import CatalogMaterial, CatalogVersion

_KEY = "catalog.filed_versions"
_LIMIT = 5000  # versions kept per process: far more than a centre publishes; beyond it, start again

Filed = tuple[CatalogVersion, list[CatalogMaterial]]


def _cache() -> dict[int, Filed] | None:
    state = db.current_state()
    if state is None:
        return None
    cache = state.extras.get(_KEY)
    if cache is None or len(cache) > _LIMIT:
        cache = state.extras[_KEY] = {}
    return cache


async def filed_versions(version_ids: Iterable[int]) -> dict[int, Filed]:
    """``{version id: (version, its materials in the guide's order)}`` of the ids that exist."""
    wanted = list(dict.fromkeys(version_ids))
    cache = _cache()
    found: dict[int, Filed] = {}
    missing = []
    for version_id in wanted:
        hit = cache.get(version_id) if cache is not None else None
        if hit is None:
            missing.append(version_id)
        else:
            found[version_id] = hit
    if missing:
        versions = await repo.versions_by_id(missing)
        tables = await repo.materials_of_versions(list(versions))
        for version_id, row in versions.items():
            filed = (
                CatalogVersion.model_validate(row),
                [CatalogMaterial.model_validate(m) for m in tables.get(version_id, [])],
            )
            found[version_id] = filed
            if cache is not None and row.status != "draft":
                cache[version_id] = filed
    return {version_id: found[version_id] for version_id in wanted if version_id in found}
