"""申诉: a department appeals a malicious or mistaken rating; a supervisor decides.

An upheld appeal excludes the rating from the statistics, with the reason, and never deletes it.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.audit import service as audit
from citizen_api.delivery import notify
from citizen_api.errors import ApiError
from citizen_api.ratings import models as m
from citizen_api.ratings.models import Appeal, Rating
from citizen_api.ratings.rectification import staff_rating
from citizen_api.ratings.schemas import AppealView
from citizen_api.security.principal import Principal


def appeal_view(appeal: Appeal) -> AppealView:
    return AppealView(
        id=appeal.id,
        rating_id=appeal.rating_id,
        department_code=appeal.department_code,
        reason=appeal.reason,
        status=appeal.status,
        filed_at=appeal.filed_at,
        decided_at=appeal.decided_at,
        decision_reason=appeal.decision_reason,
    )


async def file(principal: Principal, rating_id: int, reason: str, request_id: str = "") -> AppealView:
    rating, _ = await staff_rating(principal, rating_id)
    if rating.excluded:
        raise ApiError(409, "ALREADY_EXCLUDED", "该评价已因申诉成立不计入统计")
    if rating.automatic:
        raise ApiError(409, "AUTOMATIC_RATING", "系统默认评价无需申诉")
    try:
        async with db.atomic():  # savepoint: the unique pending key refuses a second open appeal
            appeal = await Appeal.create(
                rating_id=rating.id,
                department_code=rating.department_code,
                reason=reason,
                filed_by=principal.user_id,
                pending_key=str(rating.id),
            )
    except IntegrityError:
        raise ApiError(409, "APPEAL_PENDING", "该评价已有待处理的申诉") from None
    await audit.record(
        principal, "rating.appeal", "rating", rating.id, {"appeal": appeal.id}, request_id=request_id
    )
    await notify.tell_supervisors(
        "rating.appeal",
        {
            "rating_id": rating.id,
            "appeal_id": appeal.id,
            "department": rating.department_code,
            "reason": reason[:200],
        },
        dedupe_key=f"rating.appeal:{appeal.id}",
    )
    return appeal_view(appeal)


def _self_decision() -> ApiError:
    return ApiError(403, "APPEAL_SELF_DECISION", "不能审核本人提出的申诉，请由其他监察人员审核")


async def check_decider(principal: Principal, appeal_id: int, request_id: str = "") -> None:
    """404 for no such appeal; 403 APPEAL_SELF_DECISION (audited, committed) for the one who filed it.

    Run outside the request's transaction so that the refused attempt stays on record.
    """
    appeal = await Appeal.get_or_none(id=appeal_id)
    if appeal is None:
        raise ApiError(404, "NOT_FOUND", "未找到该申诉")
    if appeal.filed_by == principal.user_id:
        async with db.atomic():
            await audit.record(
                principal,
                "rating.appeal_self_decision_refused",
                "rating",
                appeal.rating_id,
                {"appeal": appeal.id, "refused": True},
                request_id=request_id,
            )
        raise _self_decision()


async def decide(
    principal: Principal, appeal_id: int, uphold: bool, reason: str, request_id: str = ""
) -> AppealView:
    """A supervisor (or admin) other than the one who filed the appeal upholds or dismisses it."""
    appeal = await Appeal.get_or_none(id=appeal_id)
    if appeal is None:
        raise ApiError(404, "NOT_FOUND", "未找到该申诉")
    if appeal.filed_by == principal.user_id:
        raise _self_decision()
    now = clock.now()
    status = m.UPHELD if uphold else m.DISMISSED
    # never by whoever filed it, even if the check above were bypassed: the condition is in the UPDATE
    decided = await (
        Appeal.filter(id=appeal.id, status=m.PENDING)
        .exclude(filed_by=principal.user_id)
        .update(
            status=status,
            pending_key=None,
            decided_by=principal.user_id,
            decided_at=now,
            decision_reason=reason,
        )
    )
    if not decided:
        raise ApiError(409, "APPEAL_DECIDED", "该申诉已处理")
    if uphold:
        await Rating.filter(id=appeal.rating_id, excluded=False).update(
            excluded=True, exclusion_reason=reason, excluded_by=principal.user_id, excluded_at=now
        )
    await audit.record(
        principal,
        f"rating.appeal_{status}",
        "rating",
        appeal.rating_id,
        {"appeal": appeal.id, "reason": reason},
        request_id=request_id,
    )
    await notify.warn_staff(
        appeal.department_code,
        "rating.appeal_decided",
        {"rating_id": appeal.rating_id, "appeal_id": appeal.id, "upheld": uphold, "reason": reason[:200]},
        dedupe_key=f"rating.appeal_decided:{appeal.id}",
    )
    return appeal_view(await Appeal.get(id=appeal.id))


async def list_appeals(status: str | None, offset: int, limit: int) -> tuple[int, list[AppealView]]:
    query = Appeal.all()
    if status:
        query = query.filter(status=status)
    total = await query.count()
    rows = await query.order_by("-id").offset(offset).limit(limit)
    return total, [appeal_view(a) for a in rows]
