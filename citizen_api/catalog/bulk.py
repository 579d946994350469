"""Creating many new items at once (imports, the demo seed, the benchmark's 5,000 items).

One item through the admin path costs about ten round trips; here a batch of items, their
first versions and their materials cost a handful of statements whatever the batch size.
The content has been checked by the same schema and rules as the admin API before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable

from citizen_api import clock
from citizen_api.catalog import admin
from citizen_api.catalog.guide import material_rows, summary_columns, version_columns
from citizen_api.catalog.models import Department
from citizen_api.catalog.repository import items as repo
from citizen_api.catalog.repository.items import BATCH
from citizen_api.catalog.schemas import ItemContent, ItemCreate


def content_of_doc(doc: ItemCreate) -> ItemContent:
    return ItemContent.model_validate(doc.model_dump(include=set(ItemContent.model_fields)))


async def create_items(
    docs: list[tuple[ItemCreate, bool]],
    departments: dict[str, Department],
    progress: Callable[[], None] | None = None,
) -> None:
    """Create items that do not exist yet, each with version 1 published (or left as a draft).

    A version 1 written as published is born so (the version lifecycle, ``transitions``, starts
    there); it is not a draft moved on.
    """
    for start in range(0, len(docs), BATCH):
        batch = docs[start : start + BATCH]
        await _create_batch(batch, departments)
        if progress:
            for _ in batch:
                progress()


async def _create_batch(batch: list[tuple[ItemCreate, bool]], departments: dict[str, Department]) -> None:
    now = clock.now()
    contents = {doc.code: content_of_doc(doc) for doc, _ in batch}
    for content in contents.values():
        await admin.check_uploads(content)
    items = await repo.bulk_create_items(
        [
            {
                "code": doc.code,
                "basic_code": doc.basic_code,
                "department_id": departments[doc.department].id,
                "is_published": False,
                "name": contents[doc.code].name,
                "audience": contents[doc.code].audience,
                "item_type": contents[doc.code].item_type,
            }
            for doc, _ in batch
        ]
    )
    versions = await repo.bulk_create_first_versions(
        [
            {
                "item_id": items[doc.code].id,
                "status": "published" if publish else "draft",
                "published_at": now if publish else None,
                **version_columns(contents[doc.code]),
            }
            for doc, publish in batch
        ]
    )
    await repo.bulk_create_materials(
        [
            {"version_id": versions[items[doc.code].id].id, **row}
            for doc, _ in batch
            for row in material_rows(contents[doc.code])
        ]
    )
    fields = {"published_version_id", "draft_version_id", "is_published", "updated_at"}
    for doc, publish in batch:
        item = items[doc.code]
        version = versions[item.id]
        item.updated_at = now
        if publish:
            for name, value in summary_columns(version).items():
                setattr(item, name, value)
                fields.add(name)
            item.published_version_id = version.id
            item.is_published = True
        else:
            item.draft_version_id = version.id
    await repo.bulk_update_items([items[doc.code] for doc, _ in batch], fields)
