"""Staff API for cases (prefix /staff): the scoped list, the detail, the actions, 电子监察."""

from __future__ import annotations

from starlette.responses import StreamingResponse

from citizen_api.cases import staff, staff_filing, stats, stats_series, supervision
from citizen_api.cases.schemas import (
    CaseCreated,
    CaseTransitioned,
    Deliver,
    Note,
    Reason,
    RequestSupplement,
)
from citizen_api.cases.schemas_staff import (
    CaseRevealed,
    CaseRevealRequest,
    StaffCaseCounts,
    StaffCaseDetail,
    StaffCaseFiling,
    StaffCaseQuery,
    StaffCaseSummary,
)
from citizen_api.cases.schemas_steps import AcceptWithHolder
from citizen_api.cases.schemas_supervision import (
    Dashboard,
    DashboardQuery,
    SeriesPoint,
    SeriesQuery,
    Stats,
    StatsQuery,
    WarningQuery,
    WarningView,
)
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.uploads.schemas import CONTENT_RESPONSE_DOC


async def list_cases(ctx: Ctx) -> Page[StaffCaseSummary]:
    """办件列表与检索（编号、姓名、手机尾号；多状态、预警筛选；按期限排序；本部门，监察与管理员可看全部）"""
    return await staff.list_cases(ctx.user, ctx.query, ctx.settings)


async def file_for_citizen(ctx: Ctx) -> CaseCreated:
    """帮办：窗口工作人员为到场群众提交申请（按身份证号找到或开立其账号；记为帮办及经办人）"""
    return await staff_filing.file_for_citizen(ctx.user, ctx.body, ctx.settings, ctx.request_id)


async def case_counts(ctx: Ctx) -> StaffCaseCounts:
    """办件数统计（各状态及黄灯、红灯预警数，工作台角标；本部门，监察与管理员为全部）"""
    return await staff.counts(ctx.user)


async def case_detail(ctx: Ctx) -> StaffCaseDetail:
    """办件详情（申请人身份信息脱敏，每次查看记入审计日志）"""
    return await staff.case_detail(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id)


async def reveal(ctx: Ctx) -> CaseRevealed:
    """查看申请人完整身份信息及邮寄地址（仅本部门承办的窗口、审批人员；每次查看记入审计日志）"""
    try:
        async with ctx.atomic():
            return await staff.reveal(ctx.user, ctx.path["id"], ctx.body, ctx.settings, ctx.request_id)
    except ApiError as exc:
        if exc.status == 403:  # the attempt rolled back with the request; its record is kept
            async with ctx.atomic():
                await staff.record_refused_reveal(ctx.user, ctx.path["id"], ctx.body, ctx.request_id)
        raise


async def material_content(ctx: Ctx) -> StreamingResponse:
    """查看办件材料文件（每次查看记入审计日志）"""
    return await staff.material_content(
        ctx.user, ctx.path["id"], ctx.path["upload_id"], ctx.state.storage, ctx.request_id
    )


def _action(action: str, summary: str):
    async def handler(ctx: Ctx) -> CaseTransitioned:
        return await staff.act(ctx.user, ctx.path["id"], action, ctx.body, ctx.settings, ctx.request_id)

    handler.__name__ = action
    handler.__doc__ = summary
    return handler


async def warnings(ctx: Ctx) -> Page[WarningView]:
    """电子监察预警（黄灯、红灯、期限依据未知年度日历）"""
    return await supervision.list_warnings(ctx.user, ctx.query)


async def statistics(ctx: Ctx) -> Stats:
    """办件统计：按期办结率、平均用时、网办率、零跑动率、在办预警"""
    return await stats.stats(ctx.user, ctx.query)


async def statistics_series(ctx: Ctx) -> list[SeriesPoint]:
    """统计趋势：按周（周一起）或按月（1 日起）的指标序列，比率为百分数；默认最近 30 天"""
    return await stats_series.series(ctx.user, ctx.query)


async def stats_dashboard(ctx: Ctx) -> Dashboard:
    """监察看板：各部门指标、合计与全部趋势序列（一次返回）；默认最近 12 个月（含本月）"""
    return await stats_series.dashboard(ctx.user, ctx.query)


_TAGS = ["staff-cases"]
_ID = "/staff/applications/{id:id}"
_TRANSITION_ERRORS = [(409, "INVALID_TRANSITION")]

# (path suffix, action of the transition table, body, summary, extra errors)
_ACTIONS = [
    ("accept", "accept", AcceptWithHolder, "受理", [(422, "HOLDER_INVALID")]),
    ("request-supplement", "request_supplement", RequestSupplement, "一次性告知补正材料", []),
    ("not-accept", "not_accept", Reason, "不予受理", []),
    ("suspend", "suspend", Reason, "暂停计时（听证、检测、专家评审）", []),
    ("resume", "resume", Note, "恢复办理（期限顺延）", []),
    ("approve", "approve", Note, "办结：准予", [(409, "MATERIALS_OUTSTANDING")]),
    ("reject", "reject", Reason, "办结：不予许可", []),
    (
        "deliver",
        "deliver",
        Deliver,
        "送达办理结果（窗口领取即送达；邮寄在签收后转为已送达）",
        [
            (409, "ALREADY_MAILED"),
            (409, "DELIVERY_ADDRESS_MISSING"),
            (409, "WAYBILL_IN_USE"),
            (422, "WAYBILL_INVALID"),
        ],
    ),
]

ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/applications",
        list_cases,
        auth="staff",
        query=StaffCaseQuery,
        response=Page[StaffCaseSummary],
        description=(
            "q 按办件编号片段（不区分大小写）、申请人完整姓名（整名匹配：姓名加密存储，按密钥散列精确查找，"
            "不支持部分姓名）或手机号后四位检索；status 可用逗号列出多个状态，未知状态为 422 VALIDATION_ERROR"
            "（details.fields 指明 query.status）；sort=deadline 按办理期限由近到远，无期限的在后。"
            "每行带脱敏的申请人姓名、办理期限、预警与剩余工作日。"
        ),
        tags=_TAGS,
        errors=[(422, "VALIDATION_ERROR")],
    ),
    endpoint(
        "POST",
        "/staff/applications",
        file_for_citizen,
        auth={"window"},
        body=StaffCaseFiling,
        response=CaseCreated,
        status=201,
        tags=_TAGS,
        errors=[
            (403, "FORBIDDEN"),
            (404, "NOT_FOUND"),
            (409, "DELIVERY_NOT_OFFERED"),
            (422, "MATERIALS_MISSING"),
            (422, "MATERIALS_TOO_LARGE"),
        ],
    ),
    endpoint(
        "GET",
        "/staff/applications/counts",
        case_counts,
        auth="staff",
        response=StaffCaseCounts,
        tags=_TAGS,
    ),
    endpoint(
        "GET",
        _ID,
        case_detail,
        auth="staff",
        response=StaffCaseDetail,
        tags=_TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        _ID + "/reveal",
        reveal,
        auth="staff",
        body=CaseRevealRequest,
        response=CaseRevealed,
        atomic="manual",  # a refused reveal is audited in a transaction of its own
        description=(
            "返回申请人姓名、身份证号、手机号及邮寄地址的完整值，仅限办件所属部门的窗口、审批人员（承办人员）。"
            "监察、管理员不承办办件，只能查看脱敏信息（403 FORBIDDEN）；其他部门的办件为 404 NOT_FOUND。"
            "每次查看（含被拒绝的查看）都记入审计日志，可附查看事由 reason。"
        ),
        tags=_TAGS,
        errors=[(403, "FORBIDDEN"), (404, "NOT_FOUND")],
    ),
    endpoint(
        "GET",
        _ID + "/materials/{upload_id:id}",
        material_content,
        auth="staff",
        raw_response_doc=CONTENT_RESPONSE_DOC,
        tags=_TAGS,
    ),
    *[
        endpoint(
            "POST",
            f"{_ID}/{suffix}",
            _action(action, summary),
            auth="staff",
            body=body,
            response=CaseTransitioned,
            tags=_TAGS,
            errors=_TRANSITION_ERRORS + errors,
        )
        for suffix, action, body, summary, errors in _ACTIONS
    ],
    endpoint(
        "GET",
        "/staff/supervision/warnings",
        warnings,
        auth="staff",
        query=WarningQuery,
        response=Page[WarningView],
        tags=["supervision"],
    ),
    endpoint(
        "GET",
        "/staff/stats",
        statistics,
        auth="staff",
        query=StatsQuery,
        response=Stats,
        tags=["supervision"],
    ),
    endpoint(
        "GET",
        "/staff/stats/series",
        statistics_series,
        auth="staff",
        query=SeriesQuery,
        response=list[SeriesPoint],
        tags=["supervision"],
        errors=[(403, "FORBIDDEN")],
    ),
    endpoint(
        "GET",
        "/staff/stats/dashboard",
        stats_dashboard,
        auth={"supervisor", "admin"},
        query=DashboardQuery,
        response=Dashboard,
        tags=["supervision"],
        errors=[(403, "FORBIDDEN")],
    ),
]
