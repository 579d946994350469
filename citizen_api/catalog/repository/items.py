"""Catalog queries: departments, items, their versions and materials."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.expressions import F
from tortoise.functions import Max

from citizen_api.catalog.models import Department, ItemVersion, Material, ServiceItem

BATCH = 200  # rows per bulk statement stay well under SQLite's bound-parameter limit
_CHUNK = 500  # ids per IN (...) query


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


# ---- items -----------------------------------------------------------------------------------


async def item_by_code(
    code: str, *, for_update: bool = False, published: bool = False, with_department: bool = False
) -> ServiceItem | None:
    query = ServiceItem.filter(code=code[:64])
    if published:
        query = query.filter(is_published=True, published_version_id__isnull=False)
    if for_update:
        query = query.select_for_update()
    if with_department:
        query = query.select_related("department")
    return await query.first()


async def items_by_codes(codes: Iterable[str], *, with_department: bool = False) -> dict[str, ServiceItem]:
    codes = list(dict.fromkeys(codes))
    found: dict[str, ServiceItem] = {}
    for start in range(0, len(codes), _CHUNK):
        query = ServiceItem.filter(code__in=codes[start : start + _CHUNK])
        for item in await (query.select_related("department") if with_department else query):
            found[item.code] = item
    return found


async def bookable_items() -> list[ServiceItem]:
    query = ServiceItem.filter(is_published=True, bookable=True).select_related("department")
    return await query.order_by("department_id", "id")


async def deliverable_item_ids(item_ids: Iterable[int]) -> set[int]:
    ids = list(set(item_ids))
    if not ids:
        return set()
    return set(await ServiceItem.filter(id__in=ids, deliverable=True).values_list("id", flat=True))


async def create_item(code: str, basic_code: str, department_id: int, summary: dict[str, Any]) -> ServiceItem:
    return await ServiceItem.create(
        code=code, basic_code=basic_code, department_id=department_id, is_published=False, **summary
    )


async def update_item(item: ServiceItem, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    await item.save(update_fields=[*values, "updated_at"])


async def switch_published(item_id: int, draft_id: int, values: dict[str, Any]) -> bool:
    """Make the draft the published version, only if it still is this item's draft (no double publish)."""
    updated = await ServiceItem.filter(id=item_id, draft_version_id=draft_id).update(**values)
    return updated == 1


async def record_application(item_id: int) -> None:
    await ServiceItem.filter(id=item_id).update(applications=F("applications") + 1)


async def record_view(item_id: int) -> None:
    await ServiceItem.filter(id=item_id).update(views=F("views") + 1)


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


async def all_items_with_department() -> list[ServiceItem]:
    return await ServiceItem.all().order_by("code").prefetch_related("department")


async def item_count() -> int:
    return await ServiceItem.all().count()


# ---- versions and materials ------------------------------------------------------------------


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


async def versions_by_id(ids: Iterable[int]) -> dict[int, ItemVersion]:
    wanted = list(set(ids))
    return {v.id: v for v in await ItemVersion.filter(id__in=wanted)} if wanted else {}


async def version_by_number(item_id: int, number: int) -> ItemVersion | None:
    return await ItemVersion.get_or_none(item_id=item_id, version=number)


async def versions_of(item_id: int) -> list[ItemVersion]:
    return await ItemVersion.filter(item_id=item_id).order_by("-version")


async def change_version_status(version_id: int, current: str, to: str, **extra: Any) -> bool:
    """Only while the version still is ``current``: two publishers cannot both move it."""
    return await ItemVersion.filter(id=version_id, status=current).update(status=to, **extra) == 1


async def content_hashes(version_ids: Iterable[int]) -> dict[int, str]:
    ids = list(version_ids)
    hashes: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = await ItemVersion.filter(id__in=ids[start : start + _CHUNK]).values_list("id", "content_hash")
        hashes.update(dict(rows))
    return hashes


async def version_materials(version_id: int) -> list[Material]:
    """The materials of one version, in the guide's order (what an application is checked against)."""
    return await Material.filter(version_id=version_id).order_by("position", "id")


async def materials_of_versions(version_ids: Iterable[int]) -> dict[int, list[Material]]:
    """The materials of several versions at once, each version's in the guide's order."""
    wanted = list(set(version_ids))
    found: dict[int, list[Material]] = {version_id: [] for version_id in wanted}
    if wanted:
        for material in await Material.filter(version_id__in=wanted).order_by("position", "id"):
            found[material.version_id].append(material)
    return found


async def record_applications(item_ids: Iterable[int]) -> None:
    """One application more for each id (an id given twice counts twice), one UPDATE per count."""
    counts: dict[int, int] = {}
    for item_id in item_ids:
        counts[item_id] = counts.get(item_id, 0) + 1
    for times in sorted(set(counts.values())):
        ids = sorted(i for i, n in counts.items() if n == times)
        await ServiceItem.filter(id__in=ids).update(applications=F("applications") + times)


async def materials_by_id(ids: Iterable[int]) -> list[Material]:
    wanted = list(set(ids))
    return await Material.filter(id__in=wanted) if wanted else []


async def published_material(item: ServiceItem, material_id: int) -> Material | None:
    """A material of the item's published version (None for drafts and past versions)."""
    return await Material.get_or_none(
        id=material_id, version_id=item.published_version_id, version__status="published"
    )


# ---- many new items at once (imports, the demo seed) -----------------------------------------


async def bulk_create_items(rows: list[dict[str, Any]]) -> dict[str, ServiceItem]:
    """Insert items (never published yet) and read them back by code."""
    await ServiceItem.bulk_create([ServiceItem(**row) for row in rows], batch_size=BATCH)
    return await items_by_codes(row["code"] for row in rows)


async def bulk_create_first_versions(rows: list[dict[str, Any]]) -> dict[int, ItemVersion]:
    """Insert version 1 of new items; answers the versions by item id."""
    await ItemVersion.bulk_create([ItemVersion(version=1, **row) for row in rows], batch_size=BATCH)
    item_ids = [row["item_id"] for row in rows]
    versions: dict[int, ItemVersion] = {}
    for start in range(0, len(item_ids), _CHUNK):
        chunk = item_ids[start : start + _CHUNK]
        for version in await ItemVersion.filter(item_id__in=chunk, version=1):
            versions[version.item_id] = version
    return versions


async def bulk_create_materials(rows: list[dict[str, Any]]) -> None:
    if rows:
        await Material.bulk_create([Material(**row) for row in rows], batch_size=BATCH)


async def bulk_update_items(items: list[ServiceItem], fields: Iterable[str]) -> None:
    await ServiceItem.bulk_update(items, fields=sorted(fields), batch_size=BATCH)
