"""What citizens read: departments and guides. Searching and listing is served from the in-memory
index (``citizen_api.search``); a guide is read from the database, so it is always current."""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.catalog import repository as repo
from citizen_api.catalog import views
from citizen_api.catalog.guide import FILE_KINDS, detail_of, file_ids
from citizen_api.catalog.models import Department, ItemVersion, ServiceItem
from citizen_api.catalog.schemas import DepartmentOut, ItemDetail
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads

# re-exported for other domains (cases, appointments): stable names
published_item = repo.published_item
version_materials = repo.version_materials
record_application = repo.record_application


async def departments() -> list[DepartmentOut]:
    return [DepartmentOut(code=d.code, name=d.name) for d in await repo.list_departments()]


async def guide_of(item: ServiceItem, version: ItemVersion, department: Department) -> ItemDetail:
    """One version's guide with its materials and their blank form and sample files."""
    materials = await repo.version_materials(version.id)
    files = await uploads.files_by_id(file_ids(materials))
    return detail_of(item, version, department, materials, files)


async def item_detail(code: str, principal: Principal | None, state, client_ip: str) -> ItemDetail:
    """The published guide; a citizen's (or anonymous) first reading today counts as a view."""
    item = await repo.published_item(code)
    version = await repo.version_by_id(item.published_version_id)
    if version is None:
        raise ApiError(404, "NOT_FOUND", repo.ITEM_NOT_FOUND)
    viewer = views.viewer_of(principal, client_ip)
    if viewer is not None and await views.first_view_today(state, item.id, viewer):
        await repo.record_view(item.id)
        item.views += 1
    department = await repo.department_by_id(item.department_id)
    return await guide_of(item, version, department)


async def material_file(code: str, material_id: int, kind: str, storage, if_none_match: str = "") -> Response:
    """A blank form or sample of the published guide, to anyone; every other file stays private (404)."""
    material = await repo.published_material(code, material_id)
    upload_id = getattr(material, FILE_KINDS[kind]) if material is not None else None
    if not upload_id:
        raise ApiError(404, "NOT_FOUND", "未找到该表格文件")
    return await uploads.public_response(storage, upload_id, if_none_match)


async def version_detail(code: str, number: int) -> ItemDetail:
    """An earlier (or the current) published version: the guide an application was filed under.

    Drafts never show; an item taken offline still shows its past versions to those who used them.
    """
    item = await repo.item_by_code(code)
    version = await repo.version_by_number(item.id, number) if item else None
    if item is None or version is None or version.status == "draft":
        raise ApiError(404, "NOT_FOUND", "未找到该版本的办事指南")
    department = await repo.department_by_id(item.department_id)
    return await guide_of(item, version, department)


async def version_guide(version_id: int) -> ItemDetail:
    """The guide of one version by id, any status (for other domains: a case shows its version)."""
    version = await repo.version_by_id(version_id)
    if version is None:
        raise ApiError(404, "NOT_FOUND", "未找到该版本的办事指南")
    item = await version.item
    department = await repo.department_by_id(item.department_id)
    return await guide_of(item, version, department)
