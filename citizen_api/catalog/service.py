"""What citizens read: departments and guides. Searching and listing is served from the in-memory
index (``citizen_api.search``); a guide is read from the database, so it is always current."""

from __future__ import annotations

from citizen_api.catalog import repository as repo
from citizen_api.catalog.guide import detail_of
from citizen_api.catalog.schemas import DepartmentOut, ItemDetail
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal

# re-exported for other domains (cases, appointments): stable names
published_item = repo.published_item
version_materials = repo.version_materials
record_application = repo.record_application


async def departments() -> list[DepartmentOut]:
    return [DepartmentOut(code=d.code, name=d.name) for d in await repo.list_departments()]


async def item_detail(code: str, principal: Principal | None) -> ItemDetail:
    """The published guide; a citizen's (or anonymous) reading counts as a view for ranking."""
    item = await repo.published_item(code)
    version = await repo.version_by_id(item.published_version_id)
    if version is None:
        raise ApiError(404, "NOT_FOUND", repo.ITEM_NOT_FOUND)
    if principal is None or principal.is_citizen:
        await repo.record_view(item.id)
        item.views += 1
    department = await repo.department_by_id(item.department_id)
    return detail_of(item, version, department, await repo.version_materials(version.id))


async def version_detail(code: str, number: int) -> ItemDetail:
    """An earlier (or the current) published version: the guide an application was filed under.

    Drafts never show; an item taken offline still shows its past versions to those who used them.
    """
    item = await repo.item_by_code(code)
    version = await repo.version_by_number(item.id, number) if item else None
    if item is None or version is None or version.status == "draft":
        raise ApiError(404, "NOT_FOUND", "未找到该版本的办事指南")
    department = await repo.department_by_id(item.department_id)
    return detail_of(item, version, department, await repo.version_materials(version.id))


async def version_guide(version_id: int) -> ItemDetail:
    """The guide of one version by id, any status (for other domains: a case shows its version)."""
    version = await repo.version_by_id(version_id)
    if version is None:
        raise ApiError(404, "NOT_FOUND", "未找到该版本的办事指南")
    item = await version.item
    department = await repo.department_by_id(item.department_id)
    return detail_of(item, version, department, await repo.version_materials(version.id))
