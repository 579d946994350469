"""三级便民服务 API: the hierarchy (admin), 村级代办 (village agents), the points' figures."""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.cases.schemas import CaseCreated
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.schemas import PageQuery
from citizen_api.points import deliveries, filing, hierarchy, scope, stats
from citizen_api.points.schemas import (
    MyPoint,
    OfficePlaceOut,
    OfficeTree,
    PlaceIn,
    PointDeliveriesQuery,
    PointDeliveryOut,
    PointFilingIn,
    PointFilingOut,
    PointStats,
    PointStatsQuery,
)
from citizen_api.security.principal import ADMIN, SUPERVISOR, VILLAGE_AGENT

AGENT = {VILLAGE_AGENT}
_HIERARCHY = ["staff-points"]
_AGENT = ["staff-village-agent"]


def _code(ctx: Ctx) -> str:
    code = ctx.path["code"]
    if not 1 <= len(code) <= 32:
        raise ApiError(404, "NOT_FOUND", "未找到该大厅")
    return code


async def place_office(ctx: Ctx) -> OfficePlaceOut:
    """把大厅纳入三级体系：层级（区、镇街、村社区）与上级"""
    return await hierarchy.place(ctx.user, _code(ctx), ctx.body, ctx.request_id)


async def unplace_office(ctx: Ctx) -> Response:
    """把大厅移出三级体系（有下级时不可移出）"""
    await hierarchy.unplace(ctx.user, _code(ctx), ctx.request_id)
    return Response(status_code=204)


async def office_tree(ctx: Ctx) -> OfficeTree:
    """三级便民服务体系：区级中心、镇（街道）中心、村（社区）服务点"""
    return await hierarchy.tree()


async def my_point(ctx: Ctx) -> MyPoint:
    """代办员所在的便民服务点"""
    return await scope.my_point(ctx.user)


async def file_for_villager(ctx: Ctx) -> CaseCreated:
    """村级代办：为在场群众申请（群众签名确认），办件交事项责任部门办理"""
    return await filing.file(ctx.user, ctx.body, ctx.settings, ctx.request_id)


async def point_filings(ctx: Ctx) -> Page[PointFilingOut]:
    """本服务点代办的办件及其进度"""
    total, items = await filing.filings(ctx.user, ctx.query.offset, ctx.query.size, ctx.settings)
    return Page[PointFilingOut](total=total, items=items)


async def point_deliveries(ctx: Ctx) -> Page[PointDeliveryOut]:
    """送至本服务点的办理结果（待领取、已领取）"""
    q = ctx.query
    total, items = await deliveries.deliveries(ctx.user, q.status, q.offset, q.size, ctx.settings)
    return Page[PointDeliveryOut](total=total, items=items)


async def hand_over(ctx: Ctx) -> PointDeliveryOut:
    """群众已在服务点领取办理结果（办件送达）"""
    return await deliveries.hand_over(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id)


async def point_stats(ctx: Ctx) -> PointStats:
    """各服务点统计：代办件数、已办结、待领取、已领取"""
    return await stats.stats(ctx.user, ctx.query)


_SCOPE = (403, "POINT_SCOPE")
ENDPOINTS = [
    endpoint(
        "PUT", "/staff/offices/{code}/place", place_office, auth={ADMIN}, body=PlaceIn,
        response=OfficePlaceOut, tags=_HIERARCHY,
        errors=[(404, "NOT_FOUND"), (409, "HIERARCHY_HAS_CHILDREN"), (422, "HIERARCHY_INVALID")],
    ),
    endpoint(
        "DELETE", "/staff/offices/{code}/place", unplace_office, auth={ADMIN}, status=204,
        tags=_HIERARCHY, errors=[(404, "NOT_FOUND"), (409, "HIERARCHY_HAS_CHILDREN")],
    ),
    endpoint("GET", "/staff/offices/tree", office_tree, auth="staff", response=OfficeTree, tags=_HIERARCHY),
    endpoint("GET", "/staff/points/me", my_point, auth=AGENT, response=MyPoint, tags=_AGENT, errors=[_SCOPE]),
    endpoint(
        "POST", "/staff/point-filings", file_for_villager, auth=AGENT, body=PointFilingIn,
        response=CaseCreated, status=201, tags=_AGENT,
        errors=[
            _SCOPE, (404, "NOT_FOUND"), (409, "DELIVERY_NOT_OFFERED"), (422, "CONSENT_REQUIRED"),
            (422, "CONSENT_SIGNATURE_INVALID"), (422, "MATERIALS_MISSING"),
        ],
    ),
    endpoint(
        "GET", "/staff/point-filings", point_filings, auth=AGENT, query=PageQuery,
        response=Page[PointFilingOut], tags=_AGENT, errors=[_SCOPE],
    ),
    endpoint(
        "GET", "/staff/point-deliveries", point_deliveries, auth=AGENT, query=PointDeliveriesQuery,
        response=Page[PointDeliveryOut], tags=_AGENT, errors=[_SCOPE],
    ),
    endpoint(
        "POST", "/staff/point-deliveries/{id:id}/hand-over", hand_over, auth=AGENT,
        response=PointDeliveryOut, tags=_AGENT,
        errors=[_SCOPE, (404, "NOT_FOUND"), (409, "ALREADY_HANDED_OVER")],
    ),
    endpoint(
        "GET", "/staff/points/stats", point_stats, auth={SUPERVISOR, ADMIN, VILLAGE_AGENT},
        query=PointStatsQuery, response=PointStats, tags=["staff-points"], errors=[_SCOPE],
    ),
]  # fmt: skip
