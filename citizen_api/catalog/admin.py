"""Editing the catalog (admins, imports, the demo seed): departments, drafts, publishing.

Every write goes through the consistency rules. Publishing turns the draft into the item's new
published version; earlier versions stay (applications keep the version they were filed under).
Changes that citizens see bump the catalog revision, which every API process watches.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit.service import record as audit
from citizen_api.catalog import rules, transitions
from citizen_api.catalog.guide import content_of, material_rows, summary_columns, version_columns
from citizen_api.catalog.models import Department, ServiceItem
from citizen_api.catalog.repository import index as index_repo
from citizen_api.catalog.repository import items as repo
from citizen_api.catalog.schemas import (
    AdminItem,
    AdminItemDetail,
    DepartmentCreate,
    DepartmentDetail,
    DepartmentUpdate,
    ItemContent,
    ItemCreate,
    VersionInfo,
)
from citizen_api.catalog.service import guide_of
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.uploads.service import claim_staff_uploads


def _actor_id(actor: Principal | None) -> int | None:
    return actor.user_id if actor else None


# ---- departments -----------------------------------------------------------------------------


async def list_departments() -> list[DepartmentDetail]:
    return [DepartmentDetail.model_validate(d) for d in await repo.list_departments()]


async def create_department(body: DepartmentCreate, actor: Principal | None) -> DepartmentDetail:
    if await repo.department_by_code(body.code):
        raise ApiError(409, "DEPARTMENT_EXISTS", "部门代码已存在", {"code": body.code})
    department = await repo.create_department(body.model_dump())
    await audit(actor, "catalog.department.create", "department", body.code, {"name": body.name})
    return DepartmentDetail.model_validate(department)


async def update_department(code: str, body: DepartmentUpdate, actor: Principal | None) -> DepartmentDetail:
    department = await repo.department_by_code(code)
    if department is None:
        raise ApiError(404, "NOT_FOUND", "未找到该部门")
    changes = {k: v for k, v in body.model_dump().items() if getattr(department, k) != v}
    if changes:
        await repo.update_department(department, changes)
        await index_repo.bump_revision()  # department names show in every item summary
        await audit(actor, "catalog.department.update", "department", code, changes)
    return DepartmentDetail.model_validate(department)


# ---- items -----------------------------------------------------------------------------------


async def _department_or_422(code: str) -> Department:
    department = await repo.department_by_code(code)
    if department is None:
        raise ApiError(422, "UNKNOWN_DEPARTMENT", "部门不存在", {"department": code})
    return department


async def check_uploads(content: ItemContent) -> None:
    """Blank forms and samples must be files uploaded by staff; they are then kept (never orphans).

    Once published they are public files, so a citizen's upload (a mistyped id could name someone's
    ID card scan) is refused exactly like a missing one.
    """
    wanted = {i for m in content.materials for i in (m.blank_form_upload_id, m.sample_upload_id) if i}
    if not wanted:
        return
    found = await claim_staff_uploads(wanted)
    if wanted - found:
        raise ApiError(
            422, "UNKNOWN_UPLOAD", "空白表格或示例样表文件不存在", {"missing": sorted(wanted - found)}
        )


async def write_new_item(body: ItemCreate, actor: Principal | None) -> ServiceItem:
    """Create an item with its first version as a draft (checked; no audit, no revision bump)."""
    content = ItemContent.model_validate(body.model_dump(include=set(ItemContent.model_fields)))
    rules.check(content)
    department = await _department_or_422(body.department)
    if await repo.item_by_code(body.code):
        raise ApiError(409, "ITEM_EXISTS", "事项编码已存在", {"code": body.code})
    await check_uploads(content)
    columns = version_columns(content)
    summary = {k: v for k, v in columns.items() if k in ("name", "audience", "item_type")}
    item = await repo.create_item(body.code, body.basic_code, department.id, summary)
    version = await repo.create_version(item.id, 1, columns, material_rows(content), _actor_id(actor))
    await repo.update_item(item, {"draft_version_id": version.id})
    return item


async def write_draft(item: ServiceItem, content: ItemContent, actor: Principal | None) -> None:
    """Replace the item's draft, or start one as the next version (checked; no audit, no bump)."""
    rules.check(content)
    await check_uploads(content)
    columns = version_columns(content)
    if item.draft_version_id is not None:
        draft = await repo.version_by_id(item.draft_version_id)
        assert draft is not None
        await repo.replace_draft(draft, columns, material_rows(content))
    else:
        number = await repo.next_version_number(item.id)
        draft = await repo.create_version(item.id, number, columns, material_rows(content), _actor_id(actor))
        await repo.update_item(item, {"draft_version_id": draft.id})
    if not item.is_published:
        # an item never published shows its draft's name in the admin list
        await repo.update_item(item, {"name": content.name, "audience": content.audience})


async def write_publish(item: ServiceItem) -> None:
    """Publish the draft as the new version, or put an unpublished item's last version back online."""
    now = clock.now()
    if item.draft_version_id is None:
        if item.is_published or item.published_version_id is None:
            raise ApiError(409, "NOTHING_TO_PUBLISH", "没有待发布的草稿")
        await repo.update_item(item, {"is_published": True})
        return
    draft = await repo.version_by_id(item.draft_version_id)
    assert draft is not None
    rules.check(content_of(draft, await repo.version_materials(draft.id)))
    values = {
        **summary_columns(draft),
        "published_version_id": draft.id,
        "draft_version_id": None,
        "is_published": True,
        "updated_at": now,
    }
    if not await repo.switch_published(item.id, draft.id, values):
        raise _publish_conflict()
    if item.published_version_id is not None:
        await _move_version(item.published_version_id, "published", "retire")
    await _move_version(draft.id, "draft", "publish", published_at=now)
    for name, value in values.items():
        setattr(item, name, value)


def _publish_conflict() -> ApiError:
    return ApiError(409, "CONFLICT", "草稿已被他人发布或修改，请刷新后重试")


async def _move_version(version_id: int, status: str, action: str, **extra) -> None:
    """One step of the version lifecycle (``transitions``), only from the status it was read in."""
    to = transitions.target(status, action)
    if not await repo.change_version_status(version_id, status, to, **extra):
        raise _publish_conflict()


async def write_unpublish(item: ServiceItem) -> None:
    if not item.is_published:
        raise ApiError(409, "NOT_PUBLISHED", "事项未发布")
    await repo.update_item(item, {"is_published": False})


async def _item_or_404(code: str) -> ServiceItem:
    item = await repo.item_by_code(code, for_update=True)
    if item is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办事事项")
    return item


async def create_item(body: ItemCreate, actor: Principal) -> AdminItemDetail:
    item = await write_new_item(body, actor)
    await audit(actor, "catalog.item.create", "service_item", item.code, {"name": body.name})
    return await admin_detail(item.code)


async def save_draft(code: str, content: ItemContent, actor: Principal) -> AdminItemDetail:
    item = await _item_or_404(code)
    await write_draft(item, content, actor)
    await audit(actor, "catalog.item.draft", "service_item", code, {"name": content.name})
    return await admin_detail(code)


async def publish(code: str, actor: Principal) -> AdminItemDetail:
    item = await _item_or_404(code)
    await write_publish(item)
    await index_repo.bump_revision()
    await audit(
        actor, "catalog.item.publish", "service_item", code, {"version_id": item.published_version_id}
    )
    return await admin_detail(code)


async def unpublish(code: str, actor: Principal) -> AdminItemDetail:
    item = await _item_or_404(code)
    await write_unpublish(item)
    await index_repo.bump_revision()
    await audit(actor, "catalog.item.unpublish", "service_item", code)
    return await admin_detail(code)


# ---- reading (admins see drafts) -------------------------------------------------------------


async def admin_detail(code: str) -> AdminItemDetail:
    item = await repo.item_by_code(code, with_department=True)
    if item is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办事事项")
    department = item.department
    versions = await repo.versions_of(item.id)
    by_id = {v.id: v for v in versions}

    async def guide(version_id: int | None):
        version = by_id.get(version_id) if version_id else None
        if version is None:
            return None
        return await guide_of(item, version, department)

    return AdminItemDetail(
        item=AdminItem.model_validate(item),
        draft=await guide(item.draft_version_id),
        published=await guide(item.published_version_id),
        versions=[VersionInfo.model_validate(v) for v in versions],
    )


async def admin_list(
    status: str | None, department: str | None, q: str | None, offset: int, limit: int
) -> tuple[int, list[AdminItem]]:
    department_id = None
    if department:
        found = await repo.department_by_code(department)
        if found is None:
            return 0, []
        department_id = found.id
    total, rows = await repo.admin_items(status, department_id, q, offset, limit)
    return total, [AdminItem.model_validate(item) for item in rows]
