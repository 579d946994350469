"""Catalog files (JSON) in and out: ``onetrip catalog import/export`` and the demo seed.

Import is an upsert by code and idempotent: an item whose content equals its current version is
left alone, otherwise the content becomes its draft and, when ``published`` is true, its new
published version. Every item goes through the same schema and consistency rules as the admin API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from citizen_api.audit.service import record as audit
from citizen_api.catalog import admin, bulk, rules
from citizen_api.catalog.guide import content_hash, content_of
from citizen_api.catalog.models import ServiceItem
from citizen_api.catalog.repository import index as index_repo
from citizen_api.catalog.repository import items as repo
from citizen_api.catalog.schemas import DepartmentCreate, DepartmentDetail, ItemCreate
from citizen_api.errors import ApiError
from citizen_api.http.validation import field_errors

FORMAT = "onetrip-catalog/1"


class ItemDoc(ItemCreate):
    published: bool = Field(True, description="导入后是否发布")


class SynonymDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    term: str = Field(min_length=1, max_length=32)
    canonical: str = Field(min_length=1, max_length=64)


@dataclass
class CatalogFile:
    departments: list[DepartmentCreate]
    items: list[ItemDoc]
    synonyms: list[SynonymDoc]


@dataclass
class ImportReport:
    departments_created: int = 0
    departments_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    synonyms_added: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"catalog: {self.created} items created, {self.updated} updated, {self.unchanged} unchanged; "
            f"departments {self.departments_created} created, {self.departments_updated} updated; "
            f"synonyms {self.synonyms_added} added"
        )


class CatalogFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def parse(data: Any) -> CatalogFile:
    """Validate a whole file, collecting every problem (item by item) before anything is written."""
    if not isinstance(data, dict):
        raise CatalogFileError(["file: expected a JSON object"])
    errors: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        errors.append(f"format: expected {FORMAT!r}")

    def each(key: str, model: type[BaseModel], label: Callable[[int, Any], str]) -> list[Any]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            errors.append(f"{key}: expected a list")
            return []
        out = []
        for i, entry in enumerate(raw):
            try:
                out.append(model.model_validate(entry))
            except ValidationError as exc:
                for loc, message in field_errors(exc, "").items():
                    errors.append(f"{label(i, entry)} {loc}: {message}")
        return out

    def name(kind: str, key: str) -> Callable[[int, Any], str]:
        return lambda i, e: f"{kind}[{i}]" + (f" ({e.get(key)})" if isinstance(e, dict) else "")

    departments = each("departments", DepartmentCreate, name("departments", "code"))
    items = each("items", ItemDoc, name("items", "code"))
    synonyms = each("synonyms", SynonymDoc, name("synonyms", "term"))
    seen: set[str] = set()
    for i, item in enumerate(items):
        for broken in rules.violations(bulk.content_of_doc(item)):
            errors.append(f"items[{i}] ({item.code}): {broken['code']} {broken['message']}")
        if item.code in seen:
            errors.append(f"items[{i}] ({item.code}): duplicate code")
        seen.add(item.code)
    if errors:
        raise CatalogFileError(errors)
    return CatalogFile(departments, items, synonyms)


async def import_catalog(
    catalog: CatalogFile, progress: Callable[[], None] | None = None, actor=None
) -> ImportReport:
    """Write a parsed file (call inside one transaction: all of it or nothing)."""
    report = ImportReport()
    await index_repo.ensure_revision_row()
    for d in catalog.departments:
        existing = await repo.department_by_code(d.code)
        if existing is None:
            await repo.create_department(d.model_dump())
            report.departments_created += 1
        else:
            changes = {k: v for k, v in d.model_dump().items() if getattr(existing, k) != v}
            if changes:
                await repo.update_department(existing, changes)
                report.departments_updated += 1
    departments = {d.code: d for d in await repo.list_departments()}
    unknown = sorted({doc.department for doc in catalog.items} - set(departments))
    if unknown:
        raise CatalogFileError([f"items: unknown department {code}" for code in unknown])
    existing_items = await repo.items_by_codes(doc.code for doc in catalog.items)
    hashes = await repo.content_hashes(
        i for item in existing_items.values() for i in (item.published_version_id, item.draft_version_id) if i
    )
    new = [(doc, doc.published) for doc in catalog.items if doc.code not in existing_items]
    try:
        await bulk.create_items(new, departments, progress)
        report.created = len(new)
        for doc in catalog.items:
            item = existing_items.get(doc.code)
            if item is None:
                continue
            changed = await _upsert_item(doc, item, departments[doc.department], hashes)
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
            if progress:
                progress()
    except ApiError as exc:
        raise CatalogFileError([f"items: {exc.code} {exc.message} {exc.details}"]) from None
    for s in catalog.synonyms:
        if not await index_repo.synonym_exists(s.term, s.canonical):
            await index_repo.add_synonym(s.term, s.canonical)
            report.synonyms_added += 1
    changed = report.created + report.updated + report.synonyms_added + report.departments_updated
    if changed:
        await index_repo.bump_revision()
        await audit(actor, "catalog.import", "catalog", "-", {"report": report.line()})
    return report


async def _upsert_item(doc: ItemDoc, item: ServiceItem, department, hashes: dict[int, str]) -> bool:
    """Bring one existing item in line with the file; True when anything changed."""
    content = bulk.content_of_doc(doc)
    wanted = content_hash(content)
    changed = False
    header = {"basic_code": doc.basic_code, "department_id": department.id}
    if any(getattr(item, k) != v for k, v in header.items()):
        await repo.update_item(item, header)
        changed = True
    published = hashes.get(item.published_version_id or 0)
    draft = hashes.get(item.draft_version_id or 0)
    if wanted not in (published, draft):
        await admin.write_draft(item, content, None)
        draft, changed = wanted, True
    if doc.published:
        if draft == wanted:
            await admin.write_publish(item)
            changed = True
        elif not item.is_published:
            # the published version already holds this content: back online, the draft untouched
            await repo.update_item(item, {"is_published": True})
            changed = True
    elif item.is_published:
        await admin.write_unpublish(item)
        changed = True
    return changed


async def export_catalog(progress: Callable[[], None] | None = None) -> dict[str, Any]:
    """Departments, every item (its published version, or its draft if never published), synonyms."""
    departments = [DepartmentDetail.model_validate(d).model_dump() for d in await repo.list_departments()]
    items = []
    for item in await repo.all_items_with_department():
        version_id = item.published_version_id or item.draft_version_id
        version = await repo.version_by_id(version_id) if version_id else None
        if version is None:
            continue
        content = content_of(version, await repo.version_materials(version.id))
        entry = {"code": item.code, "basic_code": item.basic_code, "department": item.department.code}
        entry.update(content.model_dump(mode="json"))
        entry["published"] = item.is_published
        items.append(entry)
        if progress:
            progress()
    synonyms = [{"term": s.term, "canonical": s.canonical} for s in await index_repo.list_synonyms()]
    return {"format": FORMAT, "departments": departments, "items": items, "synonyms": synonyms}


async def item_count() -> int:
    return await repo.item_count()
