"""What cases need from the catalog and the uploads: their services, behind one small seam."""

from __future__ import annotations

from collections.abc import Iterable

from citizen_api.catalog import service as catalog
from citizen_api.catalog.models import Material, ServiceItem
from citizen_api.uploads import service as uploads
from citizen_api.uploads.models import Upload


async def published_item(code: str) -> ServiceItem:
    return await catalog.published_item(code)


async def version_materials(version_id: int) -> list[Material]:
    return list(await catalog.version_materials(version_id))


async def record_application(item_id: int) -> None:
    await catalog.record_application(item_id)


async def owned_uploads(owner_id: int, ids: Iterable[int]) -> list[Upload]:
    ids = list(set(ids))
    if not ids:
        return []
    return list(await uploads.owned_uploads(owner_id, ids))


async def mark_attached(ids: Iterable[int]) -> None:
    ids = list(set(ids))
    if ids:
        await uploads.mark_attached(ids)
