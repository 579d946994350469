"""Catalog endpoints for citizens: departments, guides (current and past versions), their forms.

Listing and searching items is the search index's (``citizen_api.search.routes``); the admins'
editing API is in ``routes_admin``.
"""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.catalog import service
from citizen_api.catalog.routes_admin import ENDPOINTS as ADMIN_ENDPOINTS
from citizen_api.catalog.schemas import DepartmentOut, ItemDetail
from citizen_api.http import Ctx, endpoint

_TAGS = ["catalog"]
_NOT_FOUND = [(404, "NOT_FOUND")]

MATERIAL_FILE_DESCRIPTION = (
    "当前发布的办事指南中，材料所附的空白表格或示例样表，任何人无需登录即可下载（地址见事项详情 "
    "materials[].blank_form.url / sample.url）。"
    "其他文件（草稿、历史版本、已下线事项、市民上传的材料）一律 404。"
    "Content-Disposition 为 attachment，文件名按 RFC 5987 以 UTF-8 编码（filename*）；Content-Type 为上传时"
    "按内容识别的类型；X-Content-Type-Options: nosniff；带 ETag，If-None-Match 命中时 304。"
)
MATERIAL_FILE_DOC = {
    "description": "文件内容（按内容识别的类型，以附件下载）",
    "headers": {
        "Content-Disposition": {
            "description": "attachment; filename=\"…\"; filename*=UTF-8''…（RFC 6266 / 5987）",
            "schema": {"type": "string"},
        },
        "ETag": {"description": "文件 SHA-256", "schema": {"type": "string"}},
        "X-Content-Type-Options": {"schema": {"type": "string", "enum": ["nosniff"]}},
    },
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


async def list_departments(ctx: Ctx) -> list[DepartmentOut]:
    """部门列表"""
    return await service.departments()


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


ENDPOINTS = [
    endpoint("GET", "/departments", list_departments, response=list[DepartmentOut], tags=_TAGS),
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
    *ADMIN_ENDPOINTS,
]
