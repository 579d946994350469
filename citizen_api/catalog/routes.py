"""Catalog endpoints: the citizen's guide and search, and the admins' editing API."""

from __future__ import annotations

import structlog
from starlette.responses import Response

from citizen_api.catalog import admin, service
from citizen_api.catalog.rules import RULE_CODES
from citizen_api.catalog.schemas import (
    MATERIAL_FILE_DESCRIPTION,
    MATERIAL_FILE_DOC,
    AdminItem,
    AdminItemDetail,
    AdminItemQuery,
    DepartmentCreate,
    DepartmentDetail,
    DepartmentOut,
    DepartmentUpdate,
    ItemContent,
    ItemCreate,
    ItemDetail,
    ItemQuery,
    ItemSummary,
    Suggestion,
    Suggestions,
    SuggestQuery,
)
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.search.service import Filters

log = structlog.get_logger("onetrip.catalog")
_TAGS = ["catalog"]
_ADMIN_TAGS = ["catalog-admin"]
ADMIN = {"admin"}
_NOT_FOUND = [(404, "NOT_FOUND")]
_RULE_ERRORS = [(422, code) for code in RULE_CODES]


def _search(ctx: Ctx):
    if ctx.state.search_index is None:
        raise ApiError(503, "SERVICE_UNAVAILABLE", "搜索服务启动中，请稍后再试")
    return ctx.state.search_index


def refresh_search_after_commit(ctx: Ctx) -> None:
    """This process shows its own edit at once; the others follow the revision row (≈1 s)."""
    index = ctx.state.search_index
    if index is None:
        return

    async def refresh() -> None:
        try:
            await index.refresh()
        except Exception as exc:  # the edit is committed; the watcher will retry
            log.warning("search refresh after edit failed", error=type(exc).__name__)

    ctx.after_commit(refresh)


# ---- citizens --------------------------------------------------------------------------------


async def list_departments(ctx: Ctx) -> list[DepartmentOut]:
    """部门列表"""
    return await service.departments()


async def list_items(ctx: Ctx) -> Response:
    """事项列表与搜索：中文分词、拼音全拼与首字母、同义词俗称、错别字容错；按相关度再按热度排序"""
    query: ItemQuery = ctx.query
    filters = Filters(
        trips=query.trips,
        online=query.online,
        department=query.department.upper() if query.department else None,
        audience=query.audience,
        deliverable=query.deliverable,
        bookable=query.bookable,
    )
    body = _search(ctx).page_json(query.q, filters, query.page, query.size)
    return Response(body, media_type="application/json")


async def suggest(ctx: Ctx) -> Suggestions:
    """输入联想：边输入边提示事项名称（支持拼音首字母）"""
    top = _search(ctx).top(ctx.query.q, ctx.query.size)
    return Suggestions(items=[Suggestion(**{k: s[k] for k in Suggestion.model_fields}) for s in top])


async def get_item(ctx: Ctx) -> ItemDetail:
    """办事指南详情：依据、条件、材料、流程、收费、地点时间、时限、跑动次数"""
    return await service.item_detail(ctx.path["code"], ctx.principal, ctx.state, ctx.client_ip)


async def get_blank_form(ctx: Ctx) -> Response:
    """下载材料的空白表格（无需登录）"""
    return await _material_file(ctx, "blank-form")


async def get_sample(ctx: Ctx) -> Response:
    """下载材料的示例样表（无需登录）"""
    return await _material_file(ctx, "sample")


async def _material_file(ctx: Ctx, kind: str) -> Response:
    return await service.material_file(
        ctx.path["code"],
        ctx.path["id"],
        kind,
        ctx.state.storage,
        ctx.request.headers.get("if-none-match", ""),
    )


async def get_item_version(ctx: Ctx) -> ItemDetail:
    """某一历史版本的办事指南（办件按提交时的版本办理）"""
    return await service.version_detail(ctx.path["code"], ctx.path["version"])


# ---- admins ----------------------------------------------------------------------------------


async def admin_departments(ctx: Ctx) -> list[DepartmentDetail]:
    """部门列表（管理）"""
    return await admin.list_departments()


async def create_department(ctx: Ctx) -> DepartmentDetail:
    """新增部门"""
    return await admin.create_department(ctx.body, ctx.user)


async def update_department(ctx: Ctx) -> DepartmentDetail:
    """修改部门"""
    result = await admin.update_department(ctx.path["code"], ctx.body, ctx.user)
    refresh_search_after_commit(ctx)
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
    refresh_search_after_commit(ctx)
    return result


async def unpublish_item(ctx: Ctx) -> AdminItemDetail:
    """下线事项（市民不可见，历史办件不受影响）"""
    result = await admin.unpublish(ctx.path["code"], ctx.user)
    refresh_search_after_commit(ctx)
    return result


_A = "/admin/catalog"

ENDPOINTS = [
    endpoint("GET", "/departments", list_departments, response=list[DepartmentOut], tags=_TAGS),
    endpoint("GET", "/items", list_items, query=ItemQuery, response=Page[ItemSummary], tags=_TAGS),
    # before /items/{code}: "suggest" is not an item code
    endpoint("GET", "/items/suggest", suggest, query=SuggestQuery, response=Suggestions, tags=_TAGS),
    endpoint("GET", "/items/{code}", get_item, response=ItemDetail, tags=_TAGS, errors=_NOT_FOUND),
    *[
        endpoint(
            "GET",
            f"/items/{{code}}/materials/{{id:id}}/{kind}",
            handler,
            raw_response_doc=MATERIAL_FILE_DOC,
            description=MATERIAL_FILE_DESCRIPTION,
            tags=_TAGS,
            errors=_NOT_FOUND,
        )
        for kind, handler in (("blank-form", get_blank_form), ("sample", get_sample))
    ],
    endpoint(
        "GET",
        "/items/{code}/versions/{version:id}",
        get_item_version,
        response=ItemDetail,
        tags=_TAGS,
        errors=_NOT_FOUND,
    ),
    endpoint(
        "GET",
        f"{_A}/departments",
        admin_departments,
        auth=ADMIN,
        response=list[DepartmentDetail],
        tags=_ADMIN_TAGS,
    ),
    endpoint(
        "POST",
        f"{_A}/departments",
        create_department,
        auth=ADMIN,
        body=DepartmentCreate,
        response=DepartmentDetail,
        status=201,
        tags=_ADMIN_TAGS,
        errors=[(409, "DEPARTMENT_EXISTS")],
    ),
    endpoint(
        "PUT",
        f"{_A}/departments/{{code}}",
        update_department,
        auth=ADMIN,
        body=DepartmentUpdate,
        response=DepartmentDetail,
        tags=_ADMIN_TAGS,
        errors=_NOT_FOUND,
    ),
    endpoint(
        "GET",
        f"{_A}/items",
        admin_items,
        auth=ADMIN,
        query=AdminItemQuery,
        response=Page[AdminItem],
        tags=_ADMIN_TAGS,
    ),
    endpoint(
        "POST",
        f"{_A}/items",
        create_item,
        auth=ADMIN,
        body=ItemCreate,
        response=AdminItemDetail,
        status=201,
        tags=_ADMIN_TAGS,
        errors=[*_RULE_ERRORS, (422, "UNKNOWN_DEPARTMENT"), (422, "UNKNOWN_UPLOAD"), (409, "ITEM_EXISTS")],
    ),
    endpoint(
        "GET",
        f"{_A}/items/{{code}}",
        admin_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_ADMIN_TAGS,
        errors=_NOT_FOUND,
    ),
    endpoint(
        "PUT",
        f"{_A}/items/{{code}}/draft",
        save_draft,
        auth=ADMIN,
        body=ItemContent,
        response=AdminItemDetail,
        tags=_ADMIN_TAGS,
        errors=[*_NOT_FOUND, *_RULE_ERRORS, (422, "UNKNOWN_UPLOAD")],
    ),
    endpoint(
        "POST",
        f"{_A}/items/{{code}}/publish",
        publish_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_ADMIN_TAGS,
        errors=[*_NOT_FOUND, *_RULE_ERRORS, (409, "NOTHING_TO_PUBLISH"), (409, "CONFLICT")],
    ),
    endpoint(
        "POST",
        f"{_A}/items/{{code}}/unpublish",
        unpublish_item,
        auth=ADMIN,
        response=AdminItemDetail,
        tags=_ADMIN_TAGS,
        errors=[*_NOT_FOUND, (409, "NOT_PUBLISHED")],
    ),
]
