"""What cases need from the catalog and the uploads, behind one small seam.

The catalog and uploads domains own these queries (``catalog.repository``, ``uploads.service`` /
``uploads.repository``). When their function exists it is used; the fallbacks here are the same
queries written against the models, so the cases domain runs while those modules are being built.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from citizen_api.catalog.models import Material, ServiceItem
from citizen_api.errors import ApiError
from citizen_api.uploads.models import Upload


def _provided(module_names: Iterable[str], name: str) -> Any:
    for module_name in module_names:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if function is not None:
            return function
    return None


_CATALOG = ("citizen_api.catalog.repository",)
_UPLOADS = ("citizen_api.uploads.repository", "citizen_api.uploads.service")


async def published_item(code: str) -> ServiceItem:
    provided = _provided(_CATALOG, "published_item")
    if provided is not None:
        return await provided(code)
    item = await ServiceItem.filter(code=code, is_published=True).first()
    if item is None or item.published_version_id is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办事事项")
    return item


async def version_materials(version_id: int) -> list[Material]:
    provided = _provided(_CATALOG, "version_materials")
    if provided is not None:
        return list(await provided(version_id))
    return await Material.filter(version_id=version_id).order_by("position", "id")


async def record_application(item_id: int) -> None:
    provided = _provided(_CATALOG, "record_application")
    if provided is not None:
        await provided(item_id)


async def owned_uploads(owner_id: int, ids: Iterable[int]) -> list[Upload]:
    ids = list(set(ids))
    if not ids:
        return []
    provided = _provided(_UPLOADS, "owned_uploads")
    if provided is not None:
        return list(await provided(owner_id, ids))
    return await Upload.filter(owner_id=owner_id, id__in=ids)


async def mark_attached(ids: Iterable[int]) -> None:
    ids = list(set(ids))
    if not ids:
        return
    provided = _provided(_UPLOADS, "mark_attached")
    if provided is not None:
        await provided(ids)
        return
    await Upload.filter(id__in=ids, attached=False).update(attached=True)
