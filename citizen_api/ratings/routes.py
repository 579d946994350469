"""好差评 API: the citizen rates and judges rectifications; anyone reads the figures (staff: routes_staff)."""

from __future__ import annotations

from citizen_api.errors import ApiError
from citizen_api.http import Ctx, endpoint
from citizen_api.ratings import rectification, service, staff
from citizen_api.ratings.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.ratings.schemas import (
    RatingIn,
    RatingView,
    RectificationView,
    StatsQuery,
    StatsView,
    VerdictIn,
    VocabularyView,
)
from citizen_api.ratings.vocabulary import LEVELS, RECTIFICATION_VERDICTS, TAGS_BY_LEVEL


async def _refuse_staff(ctx: Ctx, action: str, object_type: str) -> None:
    """Staff may neither create nor change a rating: the attempt is audited (committed), then 403."""
    async with ctx.atomic():
        refusal = await service.record_staff_attempt(
            ctx.user, action, object_type, ctx.path["id"], ctx.request_id
        )
    raise refusal


# These run their own units of work so that a refused staff attempt is audited (and committed).
async def rate_case(ctx: Ctx) -> RatingView:
    """评价办件（一事一评）：5 非常满意 … 1 非常不满意"""
    if ctx.user.is_staff:
        await _refuse_staff(ctx, "rating.create_refused", "application")
    async with ctx.atomic():
        return await service.rate_case(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def change_rating(ctx: Ctx) -> RatingView:
    """修改评价（不允许：评价提交后不能更改，工作人员的尝试记入审计）"""
    if ctx.user.is_staff:
        await _refuse_staff(ctx, "rating.change_refused", "application")
    await service.my_case_rating(ctx.user, ctx.path["id"])  # 404 when not the citizen's or not rated
    raise ApiError(409, "RATING_FINAL", "评价提交后不能修改")


async def get_case_rating(ctx: Ctx) -> RatingView:
    """我对该办件的评价（含差评整改进展）"""
    return await service.my_case_rating(ctx.user, ctx.path["id"])


async def rate_visit(ctx: Ctx) -> RatingView:
    """评价窗口办事（一次一评，签到办理后）"""
    if ctx.user.is_staff:
        await _refuse_staff(ctx, "rating.create_refused", "appointment")
    async with ctx.atomic():
        return await service.rate_visit(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def verdict(ctx: Ctx) -> RectificationView:
    """评价差评整改结果（满意、基本满意、不满意）"""
    rect = await rectification.give_verdict(ctx.user, ctx.path["id"], ctx.body.verdict, ctx.body.comment)
    return RectificationView.model_validate(rect)


async def vocabulary(ctx: Ctx) -> VocabularyView:
    """评价等级与标签"""
    return VocabularyView(
        levels=LEVELS, tags={k: list(v) for k, v in TAGS_BY_LEVEL.items()}, verdicts=RECTIFICATION_VERDICTS
    )


async def public_stats(ctx: Ctx) -> StatsView:
    """好差评公开数据：好评率、差评率、差评整改率、未评价率、主动评价好评率（按部门；默认最近 30 天）"""
    return await staff.statistics(ctx.query)


_RATE_ERRORS = [
    (403, "FORBIDDEN"),
    (404, "NOT_FOUND"),
    (409, "NOT_FINISHED"),
    (409, "ALREADY_RATED"),
    (409, "RATING_WINDOW_CLOSED"),
]
_T = ["ratings"]

ENDPOINTS = [
    endpoint(
        "POST",
        "/applications/{id:id}/rating",
        rate_case,
        auth="user",
        body=RatingIn,
        response=RatingView,
        status=201,
        atomic="manual",
        tags=_T,
        errors=_RATE_ERRORS,
    ),
    endpoint(
        "PUT",
        "/applications/{id:id}/rating",
        change_rating,
        auth="user",
        body=RatingIn,
        response=RatingView,
        atomic="manual",
        tags=_T,
        errors=[(403, "FORBIDDEN"), (404, "NOT_FOUND"), (404, "NOT_RATED"), (409, "RATING_FINAL")],
    ),
    endpoint(
        "GET",
        "/applications/{id:id}/rating",
        get_case_rating,
        auth="citizen",
        response=RatingView,
        tags=_T,
        errors=[(404, "NOT_FOUND"), (404, "NOT_RATED")],
    ),
    endpoint(
        "POST",
        "/appointments/{id:id}/rating",
        rate_visit,
        auth="user",
        body=RatingIn,
        response=RatingView,
        status=201,
        atomic="manual",
        tags=_T,
        errors=_RATE_ERRORS,
    ),
    endpoint(
        "POST",
        "/ratings/{id:id}/rectification/verdict",
        verdict,
        auth="citizen",
        body=VerdictIn,
        response=RectificationView,
        tags=_T,
        errors=[(404, "NOT_FOUND"), (409, "NOT_RECTIFIED"), (409, "ALREADY_RATED")],
    ),
    endpoint("GET", "/ratings/vocabulary", vocabulary, response=VocabularyView, tags=_T),
    endpoint("GET", "/ratings/stats", public_stats, query=StatsQuery, response=StatsView, tags=_T),
    *STAFF_ENDPOINTS,
]
