"""Exports (prefix /staff/exports): the supervision lists and the statistics as .xlsx downloads."""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.cases.schemas_supervision import StatsQuery, WarningQuery
from citizen_api.clock import today
from citizen_api.complaints import service as complaints
from citizen_api.complaints.schemas import ComplaintQuery
from citizen_api.exports import service
from citizen_api.exports.xlsx import MEDIA_TYPE, disposition
from citizen_api.http import Ctx, endpoint
from citizen_api.ratings.schemas import StaffRatingQuery

XLSX_DOC = {
    "description": "Excel 工作簿（.xlsx），首行为中文表头；个人信息已脱敏",
    "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    "headers": {
        "Content-Disposition": {
            "description": "attachment，中文文件名按 RFC 5987 写在 filename*",
            "schema": {"type": "string"},
        }
    },
}


def _download(content: bytes, title: str, ascii_name: str) -> Response:
    stamp = today().strftime("%Y%m%d")
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": disposition(f"{title}-{stamp}.xlsx", f"{ascii_name}-{stamp}.xlsx"),
            "Cache-Control": "private, no-store",
        },
    )


async def export_warnings(ctx: Ctx) -> Response:
    """导出预警清单（.xlsx；筛选条件同预警列表，导出全部匹配行；记入审计日志）"""
    return _download(await service.warnings(ctx.user, ctx.query, ctx.request_id), "预警清单", "warnings")


async def export_bad_ratings(ctx: Ctx) -> Response:
    """导出差评清单（.xlsx；回访、整改期限与状态；评价内容中的手机号、身份证号脱敏；记入审计日志）"""
    return _download(
        await service.bad_ratings(ctx.user, ctx.query, ctx.request_id), "差评清单", "bad-ratings"
    )


async def export_complaints(ctx: Ctx) -> Response:
    """导出投诉清单（.xlsx；按答复期限排序；内容中的个人信息脱敏；记入审计日志）"""
    return _download(
        await service.complaints_list(ctx.user, ctx.query, ctx.request_id), "投诉清单", "complaints"
    )


async def export_stats(ctx: Ctx) -> Response:
    """导出统计报表（.xlsx；各部门与合计；区间同统计接口，默认最近 30 天；记入审计日志）"""
    return _download(await service.statistics(ctx.user, ctx.query, ctx.request_id), "统计报表", "stats")


_T = ["supervision"]

ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/exports/warnings.xlsx",
        export_warnings,
        auth="staff",
        query=WarningQuery,
        raw_response_doc=XLSX_DOC,
        tags=_T,
    ),
    endpoint(
        "GET",
        "/staff/exports/bad-ratings.xlsx",
        export_bad_ratings,
        auth="staff",
        query=StaffRatingQuery,
        raw_response_doc=XLSX_DOC,
        tags=_T,
        errors=[(403, "FORBIDDEN")],
    ),
    endpoint(
        "GET",
        "/staff/exports/complaints.xlsx",
        export_complaints,
        auth=set(complaints.STAFF_ROLES),
        query=ComplaintQuery,
        raw_response_doc=XLSX_DOC,
        tags=_T,
    ),
    endpoint(
        "GET",
        "/staff/exports/stats.xlsx",
        export_stats,
        auth="staff",
        query=StatsQuery,
        raw_response_doc=XLSX_DOC,
        tags=_T,
        errors=[(403, "FORBIDDEN")],
    ),
]
