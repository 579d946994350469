"""The admins' catalog API: departments, items, drafts, publishing (synonyms: ``search.routes_admin``)."""

from __future__ import annotations

from citizen_api.catalog import admin
from citizen_api.catalog.rules import RULE_CODES
from citizen_api.catalog.schemas import (
    AdminItem,
    AdminItemDetail,
    AdminItemQuery,
    DepartmentCreate,
    DepartmentDetail,
    DepartmentUpdate,
    ItemContent,
    ItemCreate,
)
from citizen_api.http import Ctx, Page, endpoint

ADMIN = {"admin"}
_TAGS = ["catalog-admin"]
_NOT_FOUND = [(404, "NOT_FOUND")]
_RULE_ERRORS = [(422, code) for code in RULE_CODES]


def show_in_search_after_commit(ctx: Ctx) -> None:
    """This process's search index shows the edit at once; the others follow the catalog revision."""
    index = ctx.state.search_index  # set up by the search domain's start-up (``search.lifecycle``)
    if index is not None:
        ctx.after_commit(index.refresh_after_edit)


async def admin_departments(ctx: Ctx) -> list[DepartmentDetail]:
    """部门列表（管理）"""
    return await admin.list_departments()


async def create_department(ctx: Ctx) -> DepartmentDetail:
    """新增部门"""
    return await admin.create_department(ctx.body, ctx.user)


async def update_department(ctx: Ctx) -> DepartmentDetail:
    """修改部门"""
    result = await admin.update_department(ctx.path["code"], ctx.body, ctx.user)
    show_in_search_after_commit(ctx)
    return result


async def admin_items(ctx: Ctx) -> Page[AdminItem]:
    """事项列表（管理，含草稿与已下线事项）"""
    q: AdminItemQuery = ctx.query
    department = q.department.upper() if q.department else None
    total, items = await admin.admin_list(q.status, department, q.q, q.offset, q.size)
    return Page[AdminItem](total=total, items=items)


async def admin_item(ctx: Ctx) -> AdminItemDetail:
    """事项详情（管理）：草稿、已发布版本与版本历史"""
    return await admin.admin_detail(ctx.path["code"])


async def create_item(ctx: Ctx) -> AdminItemDetail:
    """新建事项（保存为草稿，需发布后市民可见）"""
    return await admin.create_item(ctx.body, ctx.user)


async def save_draft(ctx: Ctx) -> AdminItemDetail:
    """编辑草稿（已发布事项另起新版本草稿）"""
    return await admin.save_draft(ctx.path["code"], ctx.body, ctx.user)


async def publish_item(ctx: Ctx) -> AdminItemDetail:
    """发布草稿为新版本（历史版本保留）"""
    result = await admin.publish(ctx.path["code"], ctx.user)
    show_in_search_after_commit(ctx)
    return result


async def unpublish_item(ctx: Ctx) -> AdminItemDetail:
    """下线事项（市民不可见，历史办件不受影响）"""
    result = await admin.unpublish(ctx.path["code"], ctx.user)
    show_in_search_after_commit(ctx)
    return result


_A = "/admin/catalog"

ENDPOINTS = [
    endpoint(
        "GET",
        f"{_A}/departments",
        admin_departments,
        auth=ADMIN,
        response=list[DepartmentDetail],
        tags=_TAGS,
    ),
    endpoint(
        "POST",
        f"{_A}/departments",
        create_department,
        auth=ADMIN,
        body=DepartmentCreate,
        response=DepartmentDetail,
        status=201,
        tags=_TAGS,
        errors=[(409, "DEPARTMENT_EXISTS")],
    ),
    endpoint(
        "PUT",
        f"{_A}/departments/{{code}}",
        update_department,
        auth=ADMIN,
        body=DepartmentUpdate,
        response=DepartmentDetail,
        tags=_TAGS,
        errors=_NOT_FOUND,
    ),
    endpoint(
        "GET",
        f"{_A}/items",
        admin_items,
        auth=ADMIN,
        query=AdminItemQuery,
        response=Page[AdminItem],
        tags=_TAGS,
    ),
    endpoint(
        "POST",
        f"{_A}/items",
        create_item,
        auth=ADMIN,
        body=ItemCreate,
        response=AdminItemDetail,
        status=201,
        tags=_TAGS,
        errors=[*_RULE_ERRORS, (422, "UNKNOWN_DEPARTMENT"), (422, "UNKNOWN_UPLOAD"), (409, "ITEM_EXISTS")],
    ),
    endpoint(
        "GET",
        f"{_A}/items/{{code}}",
        admin_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_TAGS,
        errors=_NOT_FOUND,
    ),
    endpoint(
        "PUT",
        f"{_A}/items/{{code}}/draft",
        save_draft,
        auth=ADMIN,
        body=ItemContent,
        response=AdminItemDetail,
        tags=_TAGS,
        errors=[*_NOT_FOUND, *_RULE_ERRORS, (422, "UNKNOWN_UPLOAD")],
    ),
    endpoint(
        "POST",
        f"{_A}/items/{{code}}/publish",
        publish_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_TAGS,
        errors=[*_NOT_FOUND, *_RULE_ERRORS, (409, "NOTHING_TO_PUBLISH"), (409, "CONFLICT")],
    ),
    endpoint(
        "POST",
        f"{_A}/items/{{code}}/unpublish",
        unpublish_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_TAGS,
        errors=[*_NOT_FOUND, (409, "NOT_PUBLISHED")],
    ),
]
