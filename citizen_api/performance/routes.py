"""效能考评 API (supervisors and admins): the weighting, computing a month, the ranking with 红榜 and
黑榜, the cases behind a score, and the .xlsx export."""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.clock import today
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.performance import service
from citizen_api.performance.schemas import (
    ExportQuery,
    MonthComputed,
    Ranking,
    RankingQuery,
    ScoreCase,
    ScoreCasesQuery,
    Weights,
    WeightsOut,
)
from citizen_api.performance.xlsx import MEDIA_TYPE, disposition
from citizen_api.security.principal import ADMIN, SUPERVISOR

SUPERVISORS = {SUPERVISOR, ADMIN}
_T = ["performance"]
_NOT_COMPUTED = (404, "MONTH_NOT_COMPUTED")

XLSX_DOC = {
    "description": "Excel 工作簿（.xlsx）：排名（每个分项的得分与原始数据）与办件明细两个工作表",
    "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    "headers": {
        "Content-Disposition": {
            "description": "attachment，中文文件名按 RFC 5987 写在 filename*",
            "schema": {"type": "string"},
        }
    },
}


async def get_weights(ctx: Ctx) -> WeightsOut:
    """效能考评权重（按期办结、预警、环节超期、好差评、投诉）"""
    return await service.get_weights()


async def put_weights(ctx: Ctx) -> WeightsOut:
    """设置效能考评权重（五项整数合计 100；此后计算的月份使用新权重；记入审计日志）"""
    return await service.put_weights(ctx.user, ctx.body, ctx.request_id)


async def compute(ctx: Ctx) -> MonthComputed:
    """计算某月效能考评（该月结束后；重新计算覆盖原结果；记入审计日志）"""
    return await service.compute(ctx.user, ctx.path["month"], ctx.request_id)


async def ranking(ctx: Ctx) -> Ranking:
    """某月效能考评排名（部门、窗口或工作人员；红榜、黑榜；各分项原始数据与所用权重）"""
    return await service.ranking(ctx.path["month"], ctx.query.level)


async def score_cases(ctx: Ctx) -> Page[ScoreCase]:
    """某项得分背后的办件（按期、预警、评价、投诉、环节）"""
    p, q = ctx.path, ctx.query
    return await service.score_cases(p["month"], p["level"], p["key"], q.offset, q.size)


async def export(ctx: Ctx) -> Response:
    """导出效能考评（.xlsx：排名与办件明细；记入审计日志）"""
    q = ctx.query
    content = await service.export(ctx.user, q.month, q.level, ctx.request_id)
    stamp = today().strftime("%Y%m%d")
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": disposition(
                f"效能考评-{q.month}-{stamp}.xlsx", f"performance-{q.month}-{stamp}.xlsx"
            ),
            "Cache-Control": "private, no-store",
        },
    )


_MONTH = "/staff/performance/{month}"
ENDPOINTS = [
    # before /staff/performance/{month}: "weights" is no month
    endpoint(
        "GET", "/staff/performance/weights", get_weights, auth=SUPERVISORS, response=WeightsOut, tags=_T
    ),
    endpoint(
        "PUT",
        "/staff/performance/weights",
        put_weights,
        auth=SUPERVISORS,
        body=Weights,
        response=WeightsOut,
        tags=_T,
        errors=[(422, "WEIGHTS_NOT_100")],
    ),
    endpoint(
        "POST",
        f"{_MONTH}/compute",
        compute,
        auth=SUPERVISORS,
        response=MonthComputed,
        tags=_T,
        errors=[(409, "MONTH_NOT_OVER")],
    ),
    endpoint(
        "GET",
        _MONTH,
        ranking,
        auth=SUPERVISORS,
        query=RankingQuery,
        response=Ranking,
        tags=_T,
        errors=[_NOT_COMPUTED],
    ),
    endpoint(
        "GET",
        f"{_MONTH}/{{level}}/{{key}}/cases",
        score_cases,
        auth=SUPERVISORS,
        query=ScoreCasesQuery,
        response=Page[ScoreCase],
        tags=_T,
        errors=[_NOT_COMPUTED],
    ),
    endpoint(
        "GET",
        "/staff/exports/performance.xlsx",
        export,
        auth=SUPERVISORS,
        query=ExportQuery,
        raw_response_doc=XLSX_DOC,
        tags=["supervision"],
        errors=[_NOT_COMPUTED],
    ),
]
