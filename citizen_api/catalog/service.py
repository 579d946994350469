"""The catalog's public API, and what citizens read (departments, guides, their forms).

Other domains call the functions under "for other domains" and get the catalog's own types
(``CatalogItem``, ``CatalogVersion``, ``CatalogMaterial`` in ``catalog.schemas``), never its rows.
The search index (``citizen_api.search``) reads the published catalog, the synonyms and the
catalog revision through the functions under "for the search index": the catalog knows nothing of
the index, the index follows the revision. A guide is read from the database, so it is always current.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import Response

from citizen_api.audit.service import record as audit
from citizen_api.catalog import filed_versions as filed
from citizen_api.catalog import view_counts, views
from citizen_api.catalog.models import Department, ItemVersion, ServiceItem
from citizen_api.catalog.repository import index as index_repo
from citizen_api.catalog.repository import items as repo
from citizen_api.catalog.schemas import (
    CatalogFormField,
    CatalogItem,
    CatalogLicenceType,
    CatalogMaterial,
    CatalogStep,
    CatalogVersion,
    CatalogVersionForms,
    DepartmentOut,
    IndexedItem,
    ItemDetail,
    SearchTerms,
    SynonymOut,
)
from citizen_api.catalog.vocabulary import FORM_FIELDS, LICENCE_TYPES
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads

ITEM_NOT_FOUND = "未找到该办事事项或事项已下线"


# ---- citizens --------------------------------------------------------------------------------


async def departments() -> list[DepartmentOut]:
    return [DepartmentOut.model_validate(d) for d in await repo.list_departments()]


async def guide_of(item: ServiceItem, version: ItemVersion, department: Department) -> ItemDetail:
    """One version's guide with its materials and their blank form and sample files."""
    materials = await repo.version_materials(version.id)
    files = await uploads.files_by_id(views.file_ids(materials))
    return views.detail_of(item, version, department, materials, files)


async def item_detail(code: str, principal: Principal | None, state, client_ip: str) -> ItemDetail:
    """The published guide; a citizen's (or anonymous) first reading today counts as a view."""
    item = await repo.item_by_code(code, published=True)
    version = await repo.version_by_id(item.published_version_id) if item else None
    if item is None or version is None:
        raise ApiError(404, "NOT_FOUND", ITEM_NOT_FOUND)
    viewer = view_counts.viewer_of(principal, client_ip)
    if viewer is not None and await view_counts.first_view_today(state, item.id, viewer):
        await repo.record_view(item.id)
        item.views += 1
    department = await repo.department_by_id(item.department_id)
    return await guide_of(item, version, department)


async def material_file(code: str, material_id: int, kind: str, storage, if_none_match: str = "") -> Response:
    """A blank form or sample of the published guide, to anyone; every other file stays private (404)."""
    item = await repo.item_by_code(code, published=True)
    material = await repo.published_material(item, material_id) if item else None
    upload_id = getattr(material, views.FILE_KINDS[kind]) if material is not None else None
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


# ---- for other domains -----------------------------------------------------------------------


async def published_item(code: str) -> CatalogItem:
    """The item a citizen may apply for or book (404 NOT_FOUND if unknown, draft-only or offline).

    ``published_version_id`` is the version an application is filed under.
    """
    item = await item_by_code(code, published=True)
    if item is None:
        raise ApiError(404, "NOT_FOUND", ITEM_NOT_FOUND)
    return item


async def item_by_code(code: str, *, published: bool = False) -> CatalogItem | None:
    """The item of that code (with ``published``: only if citizens see it now), or None."""
    item = await repo.item_by_code(code, published=published, with_department=True)
    return CatalogItem.model_validate(item) if item else None


async def items_by_codes(codes: Iterable[str]) -> list[CatalogItem]:
    """The items among ``codes`` that exist (published or not); compare codes to spot unknown ones."""
    found = await repo.items_by_codes(codes, with_department=True)
    return [CatalogItem.model_validate(i) for i in found.values()]


async def bookable_items() -> list[CatalogItem]:
    """Published items that take appointments, by department then id."""
    return [CatalogItem.model_validate(i) for i in await repo.bookable_items()]


async def deliverable_items(item_ids: Iterable[int]) -> set[int]:
    """The items among ``item_ids`` whose result may be mailed (免费邮寄)."""
    return await repo.deliverable_item_ids(item_ids)


async def version_info(version_id: int) -> CatalogVersion | None:
    version = await repo.version_by_id(version_id)
    return CatalogVersion.model_validate(version) if version else None


async def version_materials(version_id: int) -> list[CatalogMaterial]:
    """The materials of one version, in the guide's order (what an application is checked against)."""
    return [CatalogMaterial.model_validate(m) for m in await repo.version_materials(version_id)]


# {version id: (CatalogVersion, its CatalogMaterials in the guide's order)}; published versions are
# read once per process (they never change), so filing several items reads no catalog table again
filed_versions = filed.filed_versions


async def materials_by_id(ids: Iterable[int]) -> dict[int, CatalogMaterial]:
    return {m.id: CatalogMaterial.model_validate(m) for m in await repo.materials_by_id(ids)}


async def record_application(item_id: int) -> None:
    """Count one application for ranking (call inside the transaction that files it)."""
    await repo.record_application(item_id)


async def record_applications(item_ids: Iterable[int]) -> None:
    """:func:`record_application` for many items at once (an id given twice counts twice)."""
    await repo.record_applications(item_ids)


async def version_forms(version_id: int) -> CatalogVersionForms:
    """The result's e-licence type and the application form's fields of one version (电子证照、预填)."""
    version = await repo.version_by_id(version_id)
    guide = (version.guide or {}) if version else {}
    return CatalogVersionForms(
        issues_licence=guide.get("issues_licence", ""),
        form_fields=guide.get("form_fields", []),
        home_visit=bool(guide.get("home_visit", False)),
    )


async def version_steps(version_id: int) -> list[CatalogStep]:
    """The supervised steps of one version (电子监察 per step), in order; [] when it has none."""
    version = await repo.version_by_id(version_id)
    guide = (version.guide or {}) if version else {}
    return [CatalogStep.model_validate(step) for step in guide.get("steps", [])]


def licence_type(code: str) -> CatalogLicenceType | None:
    found = LICENCE_TYPES.get(code)
    return CatalogLicenceType(**vars(found)) if found else None


def form_fields() -> dict[str, CatalogFormField]:
    """The field dictionary of application forms (表单预填), in its order."""
    return {code: CatalogFormField(**vars(f)) for code, f in FORM_FIELDS.items()}


async def department_names() -> dict[str, str]:
    """Every department's name by its code, in the catalog's order."""
    return {d.code: d.name for d in await repo.list_departments()}


# ---- for the search index --------------------------------------------------------------------


async def ensure_revision() -> None:
    """Create the revision row if this is the first process on a fresh database."""
    await index_repo.ensure_revision_row()


async def current_revision() -> int:
    """Moves (in the same transaction) with every change that the search index shows."""
    return await index_repo.current_revision()


async def indexed_items() -> list[IndexedItem]:
    """Every published item's summary, with its department's code and name."""
    return await index_repo.indexed_items()


async def search_terms(version_ids: Iterable[int]) -> dict[int, SearchTerms]:
    """Keywords and the result's name of published versions (a version never changes: cache them)."""
    return await index_repo.search_terms(version_ids)


async def popularity_counts() -> dict[int, tuple[int, int]]:
    """(views, applications) of every published item, by item id."""
    return await index_repo.popularity_counts()


async def synonym_pairs() -> list[tuple[str, str]]:
    return await index_repo.synonym_pairs()


async def list_synonyms() -> list[SynonymOut]:
    return [SynonymOut.model_validate(s) for s in await index_repo.list_synonyms()]


async def add_synonym(term: str, canonical: str, actor: Principal | None) -> SynonymOut:
    """An admin's synonym (409 SYNONYM_EXISTS when it is there already); every index rebuilds."""
    if await index_repo.synonym_exists(term, canonical):
        raise ApiError(409, "SYNONYM_EXISTS", "该同义词已存在")
    synonym = await index_repo.add_synonym(term, canonical)
    await index_repo.bump_revision()
    await audit(actor, "search.synonym.add", "synonym", synonym.id, {"term": term, "canonical": canonical})
    return SynonymOut.model_validate(synonym)


async def delete_synonym(synonym_id: int, actor: Principal | None) -> None:
    if not await index_repo.delete_synonym(synonym_id):
        raise ApiError(404, "NOT_FOUND", "未找到该同义词")
    await index_repo.bump_revision()
    await audit(actor, "search.synonym.delete", "synonym", synonym_id)
