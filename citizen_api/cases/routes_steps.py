"""Staff API of 电子监察 per step: a case's steps, completing and handing over the current one, the
step warnings and the time spent per step and per post."""

from __future__ import annotations

from citizen_api.cases import step_stats, step_warnings, steps
from citizen_api.cases.schemas_steps import (
    CaseSteps,
    CompleteStep,
    StepHolderChange,
    StepStats,
    StepStatsQuery,
    StepWarningQuery,
    StepWarningView,
)
from citizen_api.http import Ctx, Page, endpoint

_ID = "/staff/applications/{id:id}"
_HANDLERS = {"window", "approver", "admin"}
_STEP_ERRORS = [
    (403, "STEP_NOT_HELD"),
    (404, "NOT_FOUND"),
    (409, "NO_OPEN_STEP"),
    (422, "HOLDER_INVALID"),
]


async def case_steps(ctx: Ctx) -> CaseSteps:
    """办理环节：事项指南的各监察环节、期限、承办人与当前环节"""
    return await steps.steps_of_case(ctx.user, ctx.path["id"])


async def complete_step(ctx: Ctx) -> CaseSteps:
    """完成当前环节并转入下一环节（指定下一环节承办人）"""
    return await steps.complete(ctx.user, ctx.path["id"], ctx.body, ctx.request_id)


async def change_holder(ctx: Ctx) -> CaseSteps:
    """转交当前环节（更换承办人，记入审计日志）"""
    return await steps.reassign(ctx.user, ctx.path["id"], ctx.body, ctx.request_id)


async def step_warning_list(ctx: Ctx) -> Page[StepWarningView]:
    """环节预警：办理中的环节黄灯（剩 1 个工作日或当天到期）、红灯（已超环节期限）"""
    return await step_warnings.list_step_warnings(ctx.user, ctx.query)


async def step_statistics(ctx: Ctx) -> StepStats:
    """环节用时统计：按环节、按岗位的完成数、平均与最长用时、超期数、在办数"""
    return await step_stats.stats(ctx.user, ctx.query)


ENDPOINTS = [
    endpoint(
        "GET",
        _ID + "/steps",
        case_steps,
        auth="staff",
        response=CaseSteps,
        tags=["staff-cases"],
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        _ID + "/steps/complete",
        complete_step,
        auth=_HANDLERS,
        body=CompleteStep,
        response=CaseSteps,
        description=(
            "完成办理中的环节并开始下一环节，next_holder_id 为下一环节承办人"
            "（须为本部门在岗的窗口或审批人员，否则 422 HOLDER_INVALID；不填为本人）。"
            "仅承办人、本部门审批人员或管理员可以操作（403 STEP_NOT_HELD）；"
            "办件须已受理且未暂停计时（409 CASE_NOT_IN_PROGRESS）；没有办理中的环节为 409 NO_OPEN_STEP。"
            "送达环节（代码 deliver）在办结时开始、送达办理结果时完成。"
        ),
        tags=["staff-cases"],
        errors=[*_STEP_ERRORS, (409, "CASE_NOT_IN_PROGRESS")],
    ),
    endpoint(
        "PUT",
        _ID + "/steps/current/holder",
        change_holder,
        auth=_HANDLERS,
        body=StepHolderChange,
        response=CaseSteps,
        tags=["staff-cases"],
        errors=_STEP_ERRORS,
    ),
    endpoint(
        "GET",
        "/staff/supervision/step-warnings",
        step_warning_list,
        auth="staff",
        query=StepWarningQuery,
        response=Page[StepWarningView],
        tags=["supervision"],
        errors=[(403, "FORBIDDEN")],
    ),
    endpoint(
        "GET",
        "/staff/stats/steps",
        step_statistics,
        auth="staff",
        query=StepStatsQuery,
        response=StepStats,
        description=(
            "区间内完成的环节（用时不含暂停）、超期（区间内超期完成的加上现在已超期在办的）与现在在办的环节，"
            "按环节代码和承办岗位分列。监察、管理员为全中心，其他人员为本部门。"
        ),
        tags=["supervision"],
        errors=[(403, "FORBIDDEN"), (422, "VALIDATION_ERROR")],
    ),
]
