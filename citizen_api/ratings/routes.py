"""好差评 API: the citizen rates and judges rectifications; staff follow up; anyone reads the figures."""

from __future__ import annotations

from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.ratings import appeals, rectification, service, staff
from citizen_api.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealQuery,
    AppealView,
    RatingIn,
    RatingView,
    RectificationStepIn,
    RectificationView,
    StaffRatingQuery,
    StaffRatingView,
    StatsQuery,
    StatsView,
    VerdictIn,
    VocabularyView,
)
from citizen_api.ratings.vocabulary import LEVELS, RECTIFICATION_VERDICTS, TAGS_BY_LEVEL
from citizen_api.security.principal import ADMIN, APPROVER, SUPERVISOR, WINDOW


# -- citizen -----------------------------------------------------------------------------------
# These run their own transactions so that a refused staff attempt is audited (and committed).
async def rate_case(ctx: Ctx) -> RatingView:
    """评价办件（一事一评）：5 非常满意 … 1 非常不满意"""
    if ctx.user.is_staff:
        await service.refuse_staff(
            ctx.user, "rating.create_refused", "application", ctx.path["id"], ctx.request_id
        )
    async with ctx.atomic():
        return await service.rate_case(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def change_rating(ctx: Ctx) -> RatingView:
    """修改评价（不允许：评价提交后不能更改，工作人员的尝试记入审计）"""
    if ctx.user.is_staff:
        await service.refuse_staff(
            ctx.user, "rating.change_refused", "application", ctx.path["id"], ctx.request_id
        )
    await service.my_case_rating(ctx.user, ctx.path["id"])  # 404 when not the citizen's or not rated
    raise ApiError(409, "RATING_FINAL", "评价提交后不能修改")


async def get_case_rating(ctx: Ctx) -> RatingView:
    """我对该办件的评价（含差评整改进展）"""
    return await service.my_case_rating(ctx.user, ctx.path["id"])


async def rate_visit(ctx: Ctx) -> RatingView:
    """评价窗口办事（一次一评，签到办理后）"""
    if ctx.user.is_staff:
        await service.refuse_staff(
            ctx.user, "rating.create_refused", "appointment", ctx.path["id"], ctx.request_id
        )
    async with ctx.atomic():
        return await service.rate_visit(ctx.user, ctx.path["id"], ctx.body, ctx.settings)


async def verdict(ctx: Ctx) -> RectificationView:
    """评价差评整改结果（满意、基本满意、不满意）"""
    rect = await rectification.give_verdict(ctx.user, ctx.path["id"], ctx.body.verdict, ctx.body.comment)
    return service.rectification_view(rect)


async def vocabulary(ctx: Ctx) -> VocabularyView:
    """评价等级与标签"""
    return VocabularyView(
        levels=LEVELS, tags={k: list(v) for k, v in TAGS_BY_LEVEL.items()}, verdicts=RECTIFICATION_VERDICTS
    )


async def public_stats(ctx: Ctx) -> StatsView:
    """好差评公开数据：好评率、差评率、差评整改率、未评价率、主动评价好评率（按部门）"""
    return await staff.statistics(ctx.query)


# -- staff -------------------------------------------------------------------------------------
async def list_ratings(ctx: Ctx) -> Page[StaffRatingView]:
    """评价列表（bad=true 只看差评；本部门）"""
    total, items = await staff.list_ratings(ctx.user, ctx.query)
    return Page[StaffRatingView](total=total, items=items)


async def rating_detail(ctx: Ctx) -> StaffRatingView:
    """评价详情（整改记录、申诉）"""
    return await staff.rating_detail(ctx.user, ctx.path["id"])


async def return_visit(ctx: Ctx) -> RectificationView:
    """记录差评回访"""
    return service.rectification_view(
        await rectification.return_visit(ctx.user, ctx.path["id"], ctx.body.note)
    )


async def rectify(ctx: Ctx) -> RectificationView:
    """登记差评整改（告知群众并邀请评价整改结果）"""
    return service.rectification_view(await rectification.rectify(ctx.user, ctx.path["id"], ctx.body.note))


async def appeal(ctx: Ctx) -> AppealView:
    """申诉恶意差评或误评（交监察人员审核）"""
    return await appeals.file(ctx.user, ctx.path["id"], ctx.body.reason, ctx.request_id)


async def list_appeals(ctx: Ctx) -> Page[AppealView]:
    """评价申诉列表"""
    total, items = await appeals.list_appeals(ctx.query.status, ctx.query.offset, ctx.query.size)
    return Page[AppealView](total=total, items=items)


async def decide_appeal(ctx: Ctx) -> AppealView:
    """审核申诉：成立则该评价不计入统计（不删除）；提出申诉的人不能审核本人的申诉"""
    await appeals.check_decider(ctx.user, ctx.path["id"], ctx.request_id)  # a refusal stays audited
    async with ctx.atomic():
        return await appeals.decide(
            ctx.user, ctx.path["id"], ctx.body.uphold, ctx.body.reason, ctx.request_id
        )


async def staff_stats(ctx: Ctx) -> StatsView:
    """好差评统计（窗口、审批人员看本部门）"""
    return await staff.statistics(ctx.query, ctx.user)


_DEPARTMENT_STAFF = {WINDOW, APPROVER, ADMIN}
_OVERSIGHT = {SUPERVISOR, ADMIN}
_RATE_ERRORS = [
    (403, "FORBIDDEN"),
    (404, "NOT_FOUND"),
    (409, "NOT_FINISHED"),
    (409, "ALREADY_RATED"),
    (409, "RATING_WINDOW_CLOSED"),
]
_STEP_ERRORS = [(404, "NOT_FOUND"), (409, "NOT_BAD_RATING"), (409, "INVALID_TRANSITION")]
_T, _S = ["ratings"], ["staff-ratings"]

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
        auth=_DEPARTMENT_STAFF,
        body=RectificationStepIn,
        response=RectificationView,
        tags=_S,
        errors=_STEP_ERRORS,
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/rectify",
        rectify,
        auth=_DEPARTMENT_STAFF,
        body=RectificationStepIn,
        response=RectificationView,
        tags=_S,
        errors=_STEP_ERRORS,
    ),
    endpoint(
        "POST",
        "/staff/ratings/{id:id}/appeal",
        appeal,
        auth=_DEPARTMENT_STAFF,
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
        auth=_OVERSIGHT,
        query=AppealQuery,
        response=Page[AppealView],
        tags=_S,
    ),
    endpoint(
        "POST",
        "/staff/rating-appeals/{id:id}/decide",
        decide_appeal,
        auth=_OVERSIGHT,
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
