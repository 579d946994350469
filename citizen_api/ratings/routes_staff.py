"""好差评 staff API (prefix /staff): the department follows up bad ratings and appeals; supervisors decide."""

from __future__ import annotations

from citizen_api.http import Ctx, Page, endpoint
from citizen_api.ratings import appeals, rectification, staff
from citizen_api.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealQuery,
    AppealView,
    RatingContact,
    RectificationStepIn,
    RectificationView,
    RevealIn,
    StaffRatingQuery,
    StaffRatingView,
    StatsQuery,
    StatsView,
)
from citizen_api.ratings.transitions import APPEAL, RECTIFICATION


async def list_ratings(ctx: Ctx) -> Page[StaffRatingView]:
    """评价列表（bad=true 只看差评；本部门）"""
    total, items = await staff.list_ratings(ctx.user, ctx.query)
    return Page[StaffRatingView](total=total, items=items)


async def rating_detail(ctx: Ctx) -> StaffRatingView:
    """评价详情（整改记录、申诉）"""
    return await staff.rating_detail(ctx.user, ctx.path["id"])


async def return_visit(ctx: Ctx) -> RectificationView:
    """记录差评回访"""
    return RectificationView.model_validate(
        await rectification.return_visit(ctx.user, ctx.path["id"], ctx.body.note)
    )


async def rectify(ctx: Ctx) -> RectificationView:
    """登记差评整改（须先记录回访；告知群众并邀请评价整改结果）"""
    return RectificationView.model_validate(
        await rectification.rectify(ctx.user, ctx.path["id"], ctx.body.note)
    )


async def reveal_contact(ctx: Ctx) -> RatingContact:
    """查看差评评价人的姓名和手机号（用于回访；仅本部门；每次查看记入审计日志）"""
    name, phone = await rectification.reveal_contact(
        ctx.user, ctx.path["id"], ctx.body.reason, ctx.settings, ctx.request_id
    )
    return RatingContact(rating_id=ctx.path["id"], name=name, phone=phone)


async def appeal(ctx: Ctx) -> AppealView:
    """申诉恶意差评或误评（交监察人员审核）"""
    return await appeals.file(ctx.user, ctx.path["id"], ctx.body.reason, ctx.request_id)


async def list_appeals(ctx: Ctx) -> Page[AppealView]:
    """评价申诉列表"""
    total, items = await appeals.list_appeals(ctx.query.status, ctx.query.offset, ctx.query.size)
    return Page[AppealView](total=total, items=items)


async def decide_appeal(ctx: Ctx) -> AppealView:
    """审核申诉：成立则该评价不计入统计（不删除）；提出申诉的人不能审核本人的申诉"""
    async with ctx.atomic():  # a refused self-decision stays on record
        refused = await appeals.refused_self_decision(ctx.user, ctx.path["id"], ctx.request_id)
    if refused is not None:
        raise refused
    async with ctx.atomic():
        return await appeals.decide(
            ctx.user, ctx.path["id"], ctx.body.uphold, ctx.body.reason, ctx.request_id
        )


async def staff_stats(ctx: Ctx) -> StatsView:
    """好差评统计（窗口、审批人员看本部门；默认最近 30 天）"""
    return await staff.statistics(ctx.query, ctx.user)


def _roles(table, action: str) -> set[str]:
    """Who may take ``action``: its roles in the transition table."""
    return {role for (_, name), transition in table.items() if name == action for role in transition.roles}


_STEP_ERRORS = [(404, "NOT_FOUND"), (409, "NOT_BAD_RATING"), (409, "INVALID_TRANSITION")]
_S = ["staff-ratings"]

ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/ratings",
        list_ratings,
        auth="staff",
        query=StaffRatingQuery,
        response=Page[StaffRatingView],
        tags=_S,
    ),
    endpoint(
        "GET",
        "/staff/ratings/stats",
        staff_stats,
        auth="staff",
        query=StatsQuery,
        response=StatsView,
        tags=_S,
        errors=[(403, "FORBIDDEN")],
    ),
    endpoint(
        "GET",
        "/staff/ratings/{id:id}",
        rating_detail,
        auth="staff",
        response=StaffRatingView,
        tags=_S,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/return-visit",
        return_visit,
        auth=_roles(RECTIFICATION, "return_visit"),
        body=RectificationStepIn,
        response=RectificationView,
        tags=_S,
        errors=_STEP_ERRORS,
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/rectify",
        rectify,
        auth=_roles(RECTIFICATION, "rectify"),
        body=RectificationStepIn,
        response=RectificationView,
        tags=_S,
        errors=[*_STEP_ERRORS, (409, "RETURN_VISIT_REQUIRED")],
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/reveal",
        reveal_contact,
        auth=_roles(RECTIFICATION, "return_visit"),  # who makes the return visit
        body=RevealIn,
        response=RatingContact,
        tags=_S,
        errors=[(404, "NOT_FOUND"), (409, "NOT_BAD_RATING")],
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/appeal",
        appeal,
        auth=_roles(RECTIFICATION, "rectify"),  # the department that handles the rating's follow-up
        body=AppealIn,
        response=AppealView,
        status=201,
        tags=_S,
        errors=[
            (404, "NOT_FOUND"),
            (409, "APPEAL_PENDING"),
            (409, "ALREADY_EXCLUDED"),
            (409, "AUTOMATIC_RATING"),
        ],
    ),
    endpoint(
        "GET",
        "/staff/rating-appeals",
        list_appeals,
        auth=_roles(APPEAL, "uphold"),
        query=AppealQuery,
        response=Page[AppealView],
        tags=_S,
    ),
    endpoint(
        "POST",
        "/staff/rating-appeals/{id:id}/decide",
        decide_appeal,
        auth=_roles(APPEAL, "uphold") & _roles(APPEAL, "dismiss"),
        body=AppealDecisionIn,
        response=AppealView,
        atomic="manual",
        tags=_S,
        errors=[
            (403, "FORBIDDEN"),
            (403, "APPEAL_SELF_DECISION"),
            (404, "NOT_FOUND"),
            (409, "APPEAL_DECIDED"),
        ],
    ),
]
