"""Every catalog query. Other domains use ``published_item``, ``version_materials`` and
``record_application``; their names and meaning are stable."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import F
from tortoise.functions import Max

from citizen_api.catalog.models import Department, ItemVersion, Material, ServiceItem
from citizen_api.errors import ApiError

ITEM_NOT_FOUND = "未找到该办事事项或事项已下线"


# ---- for other domains -----------------------------------------------------------------------


async def published_item(code: str) -> ServiceItem:
    """The item a citizen may apply for or book (404 NOT_FOUND if unknown, draft-only or unpublished).

    ``item.published_version_id`` is the version an application is filed under.
    """
    item = await ServiceItem.get_or_none(code=code[:64], is_published=True)
    if item is None or item.published_version_id is None:
        raise ApiError(404, "NOT_FOUND", ITEM_NOT_FOUND)
    return item


async def version_materials(version_id: int) -> list[Material]:
    """The materials of one version, in the guide's order (what an application is checked against)."""
    return await Material.filter(version_id=version_id).order_by("position", "id")


async def record_application(item_id: int) -> None:
    """Count one application for ranking (call inside the transaction that files it)."""
    await ServiceItem.filter(id=item_id).update(applications=F("applications") + 1)


async def record_view(item_id: int) -> None:
    await ServiceItem.filter(id=item_id).update(views=F("views") + 1)


async def published_material(code: str, material_id: int) -> Material | None:
    """A material of the version citizens see now (None for drafts, past versions, offline items)."""
    item = await ServiceItem.get_or_none(code=code[:64], is_published=True)
    if item is None or item.published_version_id is None:
        return None
    return await Material.get_or_none(
        id=material_id, version_id=item.published_version_id, version__status="published"
    )


# ---- departments -----------------------------------------------------------------------------


async def list_departments() -> list[Department]:
    return await Department.all().order_by("sort", "code")


async def department_by_code(code: str) -> Department | None:
    return await Department.get_or_none(code=code)


async def department_by_id(department_id: int) -> Department:
    return await Department.get(id=department_id)


async def create_department(values: dict[str, Any]) -> Department:
    return await Department.create(**values)


async def update_department(department: Department, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(department, name, value)
    await department.save(update_fields=list(values))


# ---- items and versions ----------------------------------------------------------------------


async def item_by_code(code: str, *, for_update: bool = False) -> ServiceItem | None:
    query = ServiceItem.filter(code=code[:64])
    if for_update:
        query = query.select_for_update()
    return await query.first()


async def create_item(code: str, basic_code: str, department_id: int, summary: dict[str, Any]) -> ServiceItem:
    return await ServiceItem.create(
        code=code, basic_code=basic_code, department_id=department_id, is_published=False, **summary
    )


async def update_item(item: ServiceItem, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    await item.save(update_fields=[*values, "updated_at"])


async def next_version_number(item_id: int) -> int:
    row = await ItemVersion.filter(item_id=item_id).annotate(top=Max("version")).values("top")
    top = row[0]["top"] if row else None
    return (top or 0) + 1


async def create_version(
    item_id: int,
    number: int,
    columns: dict[str, Any],
    materials: list[dict[str, Any]],
    created_by: int | None,
) -> ItemVersion:
    version = await ItemVersion.create(
        item_id=item_id, version=number, status="draft", created_by=created_by, **columns
    )
    await _add_materials(version.id, materials)
    return version


async def replace_draft(
    version: ItemVersion, columns: dict[str, Any], materials: list[dict[str, Any]]
) -> None:
    """Overwrite a draft in place; drafts are never referenced by applications."""
    for name, value in columns.items():
        setattr(version, name, value)
    await version.save(update_fields=list(columns))
    await Material.filter(version_id=version.id).delete()
    await _add_materials(version.id, materials)


async def _add_materials(version_id: int, materials: list[dict[str, Any]]) -> None:
    if materials:
        await Material.bulk_create([Material(version_id=version_id, **row) for row in materials])


async def version_by_id(version_id: int) -> ItemVersion | None:
    return await ItemVersion.get_or_none(id=version_id)


async def version_by_number(item_id: int, number: int) -> ItemVersion | None:
    return await ItemVersion.get_or_none(item_id=item_id, version=number)


async def versions_of(item_id: int) -> list[ItemVersion]:
    return await ItemVersion.filter(item_id=item_id).order_by("-version")


async def set_version_status(version_id: int, status: str, **extra: Any) -> None:
    await ItemVersion.filter(id=version_id).update(status=status, **extra)


async def switch_published(item_id: int, draft_id: int, values: dict[str, Any]) -> bool:
    """Make the draft the published version, only if it still is this item's draft (no double publish)."""
    updated = await ServiceItem.filter(id=item_id, draft_version_id=draft_id).update(**values)
    return updated == 1


async def admin_items(
    status: str | None, department_id: int | None, name_contains: str | None, offset: int, limit: int
) -> tuple[int, list[ServiceItem]]:
    query = ServiceItem.all()
    if status == "published":
        query = query.filter(is_published=True)
    elif status == "unpublished":
        query = query.filter(is_published=False)
    elif status == "draft":
        query = query.filter(draft_version_id__isnull=False)
    if department_id is not None:
        query = query.filter(department_id=department_id)
    if name_contains:
        query = query.filter(name__icontains=name_contains)
    total = await query.count()
    rows = await query.order_by("code").offset(offset).limit(limit).prefetch_related("department")
    return total, rows
