"""差评整改: open → visited (回访) → rectified (整改) → closed (the citizen's verdict, or time ran out).

The steps are the rows of ``transitions.RECTIFICATION``; :func:`move` checks each against it and
moves with a conditional UPDATE from the status it read (two clerks at once: the second gets 409).
Deadlines are working days from the day of the rating (``rating_return_visit_days``, default 1, and
``rating_rectify_days``, default 15), by the shared working-day calendar.
"""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.errors import ApiError
from citizen_api.ratings import notify, ports
from citizen_api.ratings import repository as repo
from citizen_api.ratings import transitions as t
from citizen_api.ratings.models import Rating, Rectification
from citizen_api.ratings.vocabulary import RECTIFICATION_VERDICTS
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from citizen_api.workdays.service import add_working_days
from notifications import outbox

_ACTION_TEXT = {
    "return_visit": "记录回访",
    "rectify": "登记整改",
    "verdict": "评价整改结果",
    "expire": "结束整改",
}


async def open_for(rating: Rating, settings) -> Rectification:
    today = clock.today()
    visit = await add_working_days(today, settings.rating_return_visit_days)
    fix = await add_working_days(today, settings.rating_rectify_days)
    rect = await repo.create_rectification(rating, visit.date, fix.date, visit.uncertain or fix.uncertain)
    await notify.warn_department(
        rating.department_code,
        "rating.bad",
        {
            **await subject(rating),
            "level": rating.level,
            "level_text": rating.level_text,
            "tags": rating.tags,
            "comment": rating.comment[:200],
            "visit_due": visit.date.isoformat(),
            "rectify_due": fix.date.isoformat(),
        },
        dedupe_key=f"rating.bad:{rating.id}",
    )
    return rect


async def subject(rating: Rating) -> dict:
    """What a message about ``rating`` names: the rating, its kind, its case's number or its visit."""
    numbers = await ports.cases().numbers([rating.application_id]) if rating.application_id else {}
    return {
        "rating_id": rating.id,
        "kind": rating.kind,
        "number": numbers.get(rating.application_id),
        "appointment_id": rating.appointment_id,
    }


def _invalid(rect: Rectification, action: str) -> ApiError:
    return ApiError(
        409,
        "INVALID_TRANSITION",
        f"整改当前为「{rect.status_text}」，不能{_ACTION_TEXT[action]}",
        {"from": rect.status, "action": action, "allowed": t.allowed_from(t.RECTIFICATION, rect.status)},
    )


async def move(
    rect: Rectification, action: str, actor_id: int | None, actor_role: str, note: str, **values: Any
) -> Rectification | None:
    """Take ``action`` on ``rect`` if the table allows it from its status: the conditional UPDATE and
    the note. None when the table refuses it or someone moved the rectification first."""
    to = t.target(t.RECTIFICATION, rect.status, action, actor_role)
    if to is None or not await repo.move_rectification(rect.id, rect.status, status=to, **values):
        return None
    await repo.add_note(rect.id, actor_id, actor_role, rect.status, to, note)
    return await repo.rectification(rect.id)


async def staff_rating(principal: Principal, rating_id: int) -> Rating:
    """A rating the staff member's department may see (another department's: 404)."""
    rating = await repo.rating(rating_id)
    if rating is None or not principal.may_see_department(rating.department_code):
        raise ApiError(404, "NOT_FOUND", "未找到该评价")
    return rating


async def _staff_step(principal: Principal, rating_id: int, action: str, note: str, **values: Any):
    rating = await staff_rating(principal, rating_id)
    rect = rating.rectification
    if rect is None:
        raise ApiError(409, "NOT_BAD_RATING", "该评价不是差评，无需回访整改")
    moved = await move(rect, action, principal.user_id, principal.role, note, **values)
    if moved is None:
        current = await repo.rectification(rect.id)
        if action == "rectify" and current.status == t.OPEN:
            raise ApiError(
                409,
                "RETURN_VISIT_REQUIRED",
                "实名差评须先完成回访并记录，才能登记整改",
                {"from": t.OPEN, "action": action, "allowed": t.allowed_from(t.RECTIFICATION, t.OPEN)},
            )
        raise _invalid(current, action)
    return rating, moved


async def return_visit(principal: Principal, rating_id: int, note: str) -> Rectification:
    _, rect = await _staff_step(
        principal, rating_id, "return_visit", note, visited_at=clock.now(), visit_note=note
    )
    return rect


async def rectify(principal: Principal, rating_id: int, note: str) -> Rectification:
    """The department reports what it fixed; the citizen is told and asked to judge it."""
    rating, rect = await _staff_step(
        principal, rating_id, "rectify", note, rectified_at=clock.now(), rectify_note=note
    )
    await outbox.enqueue(
        rating.user_id,
        "rating.rectified",
        {**await subject(rating), "note": note[:200], "verdicts": RECTIFICATION_VERDICTS},
        dedupe_key=f"rating.rectified:{rect.id}",
    )
    return rect


async def give_verdict(principal: Principal, rating_id: int, verdict: str, comment: str) -> Rectification:
    """The citizen judges the rectification (满意 / 基本满意 / 不满意); that closes it."""
    rating = await repo.rating(rating_id, user_id=principal.user_id)
    rect = rating.rectification if rating else None
    if rating is None or rect is None:
        raise ApiError(404, "NOT_FOUND", "未找到需要评价的整改")
    note = f"群众评价整改：{RECTIFICATION_VERDICTS[verdict]} {comment}".strip()
    moved = await move(
        rect,
        "verdict",
        principal.user_id,
        principal.role,
        note,
        verdict=verdict,
        verdict_comment=comment,
        closed_at=clock.now(),
    )
    if moved is None:
        current = await repo.rectification(rect.id)
        if current.status == t.CLOSED:
            raise ApiError(409, "ALREADY_RATED", "已评价过整改结果")
        raise ApiError(409, "NOT_RECTIFIED", "部门尚未完成整改，整改后再来评价")
    if verdict == "unsatisfied":
        await notify.tell_supervisors(
            "rating.rectify_unsatisfied",
            {**await subject(rating), "comment": comment[:200]},
            dedupe_key=f"rating.unsat:{moved.id}",
        )
    return moved


async def reveal_contact(principal: Principal, rating_id: int, reason: str, settings, request_id: str = ""):
    """The rater's name and phone in full, for the return visit of a 差评; every reveal is audited."""
    rating = await staff_rating(principal, rating_id)
    if rating.rectification is None:
        raise ApiError(409, "NOT_BAD_RATING", "该评价不是差评，无需回访")
    person = await users.applicant(rating.user_id, settings)
    profile = person.profile if person else {}
    await audit.record(
        principal,
        "rating.reveal_contact",
        "rating",
        rating.id,
        {"fields": ["name", "phone"], "reason": reason},
        request_id=request_id,
    )
    return profile.get("name"), profile.get("phone")
