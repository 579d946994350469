"""申诉: a department appeals a malicious or mistaken rating; a supervisor decides.

pending → upheld | dismissed (``transitions.APPEAL``), as one conditional UPDATE that also refuses
whoever filed the appeal. An upheld appeal excludes the rating from the statistics, with the reason,
and never deletes it.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.errors import ApiError
from citizen_api.ratings import notify, views
from citizen_api.ratings import repository as repo
from citizen_api.ratings import transitions as t
from citizen_api.ratings.rectification import staff_rating
from citizen_api.ratings.schemas import AppealView
from citizen_api.security.principal import Principal


async def file(principal: Principal, rating_id: int, reason: str, request_id: str = "") -> AppealView:
    rating = await staff_rating(principal, rating_id)
    if rating.excluded:
        raise ApiError(409, "ALREADY_EXCLUDED", "该评价已因申诉成立不计入统计")
    if rating.automatic:
        raise ApiError(409, "AUTOMATIC_RATING", "系统默认评价无需申诉")
    appeal = await repo.insert_appeal(
        rating_id=rating.id,
        department_code=rating.department_code,
        reason=reason,
        filed_by=principal.user_id,
        pending_key=str(rating.id),
    )
    if appeal is None:
        raise ApiError(409, "APPEAL_PENDING", "该评价已有待处理的申诉")
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
    return views.appeal_view(appeal)


def _self_decision() -> ApiError:
    return ApiError(403, "APPEAL_SELF_DECISION", "不能审核本人提出的申诉，请由其他监察人员审核")


async def _appeal(appeal_id: int):
    appeal = await repo.appeal(appeal_id)
    if appeal is None:
        raise ApiError(404, "NOT_FOUND", "未找到该申诉")
    return appeal


async def refused_self_decision(
    principal: Principal, appeal_id: int, request_id: str = ""
) -> ApiError | None:
    """404 for no such appeal; for the one who filed it, the refusal is audited and the 403 returned
    (the endpoint commits the record in a unit of work of its own, then raises it); else None."""
    appeal = await _appeal(appeal_id)
    if appeal.filed_by != principal.user_id:
        return None
    await audit.record(
        principal,
        "rating.appeal_self_decision_refused",
        "rating",
        appeal.rating_id,
        {"appeal": appeal.id, "refused": True},
        request_id=request_id,
    )
    return _self_decision()


async def decide(
    principal: Principal, appeal_id: int, uphold: bool, reason: str, request_id: str = ""
) -> AppealView:
    """A supervisor (or admin) other than the one who filed the appeal upholds or dismisses it."""
    appeal = await _appeal(appeal_id)
    if appeal.filed_by == principal.user_id:
        raise _self_decision()
    now = clock.now()
    action = "uphold" if uphold else "dismiss"
    to = t.target(t.APPEAL, appeal.status, action, principal.role)
    if to is None or not await repo.decide_appeal(
        appeal.id, appeal.status, to, principal.user_id, now, reason
    ):
        raise ApiError(409, "APPEAL_DECIDED", "该申诉已处理")
    if to == t.UPHELD:
        await repo.exclude_rating(appeal.rating_id, reason, principal.user_id, now)
    await audit.record(
        principal,
        f"rating.appeal_{to}",
        "rating",
        appeal.rating_id,
        {"appeal": appeal.id, "reason": reason},
        request_id=request_id,
    )
    await notify.warn_department(
        appeal.department_code,
        "rating.appeal_decided",
        {"rating_id": appeal.rating_id, "appeal_id": appeal.id, "upheld": uphold, "reason": reason[:200]},
        dedupe_key=f"rating.appeal_decided:{appeal.id}",
    )
    return views.appeal_view(await repo.appeal(appeal.id))


async def list_appeals(status: str | None, offset: int, limit: int) -> tuple[int, list[AppealView]]:
    total, rows = await repo.appeals_page(status, offset, limit)
    return total, [views.appeal_view(a) for a in rows]
