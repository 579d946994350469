"""Bundles API: the public guides (``GET /bundles``), the admins' definitions (``/staff/bundles``) and
the 一件事 figures. Filing and following a bundle go through ``/applications`` (cases routes, bound to
this domain through ``cases.bundle_port``)."""

from __future__ import annotations

from citizen_api.bundles import definitions, service
from citizen_api.bundles.schemas import (
    BundleAdminView,
    BundleGuide,
    BundleIn,
    BundleOut,
    BundleStats,
    BundleUpdate,
)
from citizen_api.http import Ctx, endpoint
from citizen_api.http.schemas import PeriodQuery

ADMIN = {"admin"}
_TAGS = ["bundles"]
_ADMIN_TAGS = ["bundles-admin"]


async def list_bundles(ctx: Ctx) -> list[BundleOut]:
    """一件事一次办：可申请的一件事"""
    return await definitions.list_published()


async def bundle_guide(ctx: Ctx) -> BundleGuide:
    """一件事办事指南：所含事项、合并去重的材料清单、承诺时限"""
    return await definitions.guide(ctx.path["code"])


async def admin_bundles(ctx: Ctx) -> list[BundleAdminView]:
    """一件事列表（管理，含草稿）"""
    return await definitions.admin_list()


async def create_bundle(ctx: Ctx) -> BundleAdminView:
    """新建一件事（草稿）"""
    return await definitions.create(ctx.body, ctx.user, ctx.request_id)


async def update_bundle(ctx: Ctx) -> BundleAdminView:
    """修改一件事"""
    return await definitions.update(ctx.path["code"], ctx.body, ctx.user, ctx.request_id)


async def publish_bundle(ctx: Ctx) -> BundleAdminView:
    """发布一件事（所含事项须均已发布）"""
    return await definitions.publish(ctx.path["code"], ctx.user, ctx.request_id)


async def unpublish_bundle(ctx: Ctx) -> BundleAdminView:
    """下线一件事（回到草稿）"""
    return await definitions.unpublish(ctx.path["code"], ctx.user, ctx.request_id)


async def bundle_stats(ctx: Ctx) -> BundleStats:
    """一件事统计：期间提交与全部办结的一件事申请数（子办件已计入各部门统计）"""
    return await service.statistics(ctx.query)


_CODE = "/staff/bundles/{code}"

ENDPOINTS = [
    endpoint("GET", "/bundles", list_bundles, response=list[BundleOut], tags=_TAGS),
    endpoint(
        "GET",
        "/bundles/{code}",
        bundle_guide,
        response=BundleGuide,
        tags=_TAGS,
        errors=[(404, "NOT_FOUND"), (409, "BUNDLE_NOT_AVAILABLE")],
    ),
    endpoint(
        "GET",
        "/staff/bundles/stats",
        bundle_stats,
        auth={"supervisor", "admin"},
        query=PeriodQuery,
        response=BundleStats,
        tags=_ADMIN_TAGS,
    ),
    endpoint(
        "GET", "/staff/bundles", admin_bundles, auth=ADMIN, response=list[BundleAdminView], tags=_ADMIN_TAGS
    ),
    endpoint(
        "POST",
        "/staff/bundles",
        create_bundle,
        auth=ADMIN,
        body=BundleIn,
        response=BundleAdminView,
        status=201,
        tags=_ADMIN_TAGS,
        errors=[(409, "BUNDLE_EXISTS")],
    ),
    endpoint(
        "PUT",
        _CODE,
        update_bundle,
        auth=ADMIN,
        body=BundleUpdate,
        response=BundleAdminView,
        tags=_ADMIN_TAGS,
        errors=[(404, "NOT_FOUND"), (409, "ITEMS_NOT_PUBLISHED")],
    ),
    endpoint(
        "POST",
        _CODE + "/publish",
        publish_bundle,
        auth=ADMIN,
        response=BundleAdminView,
        tags=_ADMIN_TAGS,
        errors=[(404, "NOT_FOUND"), (409, "ITEMS_NOT_PUBLISHED")],
    ),
    endpoint(
        "POST",
        _CODE + "/unpublish",
        unpublish_bundle,
        auth=ADMIN,
        response=BundleAdminView,
        tags=_ADMIN_TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
]
