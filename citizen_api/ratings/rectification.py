"""差评整改: open → visited (回访) → rectified (整改) → closed (the citizen's verdict, or time ran out).

Deadlines are working days from the day of the rating (``rating_return_visit_days``, default 1, and
``rating_rectify_days``, default 15), by the shared working-day calendar.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.delivery import notify
from citizen_api.errors import ApiError
from citizen_api.ratings import models as m
from citizen_api.ratings import repository as repo
from citizen_api.ratings.models import Rating, Rectification
from citizen_api.ratings.vocabulary import LEVELS, RECTIFICATION_VERDICTS
from citizen_api.security.principal import Principal
from citizen_api.workdays.service import add_working_days
from notifications import outbox

STATUS_TEXT = {m.OPEN: "待回访", m.VISITED: "已回访", m.RECTIFIED: "已整改", m.CLOSED: "已办结"}


async def open_for(rating: Rating, settings) -> Rectification:
    today = clock.today()
    visit = await add_working_days(today, settings.rating_return_visit_days)
    fix = await add_working_days(today, settings.rating_rectify_days)
    rect = await repo.create_rectification(rating, visit.date, fix.date, visit.uncertain or fix.uncertain)
    await notify.warn_staff(
        rating.department_code,
        "rating.bad",
        {
            **await _subject(rating),
            "level": rating.level,
            "level_text": LEVELS[rating.level],
            "tags": rating.tags,
            "comment": rating.comment[:200],
            "visit_due": visit.date.isoformat(),
            "rectify_due": fix.date.isoformat(),
        },
        dedupe_key=f"rating.bad:{rating.id}",
    )
    return rect


async def _subject(rating: Rating) -> dict:
    number = None
    if rating.application_id:
        number = await Application.filter(id=rating.application_id).first().values_list("number", flat=True)
    return {
        "rating_id": rating.id,
        "kind": rating.kind,
        "number": number,
        "appointment_id": rating.appointment_id,
    }


async def staff_rating(principal: Principal, rating_id: int) -> tuple[Rating, Rectification | None]:
    """A rating the staff member's department may see (another department's: 404)."""
    rating = await Rating.get_or_none(id=rating_id)
    if rating is None or not principal.may_see_department(rating.department_code):
        raise ApiError(404, "NOT_FOUND", "未找到该评价")
    return rating, (await repo.rectifications_of([rating.id])).get(rating.id)


def _conflict(rect: Rectification, action: str) -> ApiError:
    return ApiError(
        409,
        "INVALID_TRANSITION",
        f"整改当前为「{STATUS_TEXT.get(rect.status, rect.status)}」，不能{action}",
        {"from": rect.status},
    )


async def return_visit(principal: Principal, rating_id: int, note: str) -> Rectification:
    _rating, rect = await staff_rating(principal, rating_id)
    if rect is None:
        raise ApiError(409, "NOT_BAD_RATING", "该评价不是差评，无需回访整改")
    now = clock.now()
    if not await repo.move_rectification(
        rect.id, (m.OPEN,), status=m.VISITED, visited_at=now, visit_note=note
    ):
        raise _conflict(await Rectification.get(id=rect.id), "记录回访")
    await repo.add_note(rect.id, principal.user_id, principal.role, rect.status, m.VISITED, note)
    return await Rectification.get(id=rect.id)


async def rectify(principal: Principal, rating_id: int, note: str) -> Rectification:
    """The department reports what it fixed; the citizen is told and asked to judge it."""
    rating, rect = await staff_rating(principal, rating_id)
    if rect is None:
        raise ApiError(409, "NOT_BAD_RATING", "该评价不是差评，无需回访整改")
    now = clock.now()
    moved = await repo.move_rectification(
        rect.id, (m.OPEN, m.VISITED), status=m.RECTIFIED, rectified_at=now, rectify_note=note
    )
    if not moved:
        raise _conflict(await Rectification.get(id=rect.id), "登记整改")
    await repo.add_note(rect.id, principal.user_id, principal.role, rect.status, m.RECTIFIED, note)
    await outbox.enqueue(
        rating.user_id,
        "rating.rectified",
        {**await _subject(rating), "note": note[:200], "verdicts": RECTIFICATION_VERDICTS},
        dedupe_key=f"rating.rectified:{rect.id}",
    )
    return await Rectification.get(id=rect.id)


async def give_verdict(principal: Principal, rating_id: int, verdict: str, comment: str) -> Rectification:
    """The citizen judges the rectification (满意 / 基本满意 / 不满意); that closes it."""
    rating = await Rating.get_or_none(id=rating_id, user_id=principal.user_id)
    rect = (await repo.rectifications_of([rating.id])).get(rating.id) if rating else None
    if rating is None or rect is None:
        raise ApiError(404, "NOT_FOUND", "未找到需要评价的整改")
    moved = await repo.move_rectification(
        rect.id,
        (m.RECTIFIED,),
        status=m.CLOSED,
        verdict=verdict,
        verdict_comment=comment,
        closed_at=clock.now(),
    )
    if not moved:
        current = await Rectification.get(id=rect.id)
        if current.status == m.CLOSED:
            raise ApiError(409, "ALREADY_RATED", "已评价过整改结果")
        raise ApiError(409, "NOT_RECTIFIED", "部门尚未完成整改，整改后再来评价")
    await repo.add_note(
        rect.id,
        principal.user_id,
        principal.role,
        m.RECTIFIED,
        m.CLOSED,
        f"群众评价整改：{RECTIFICATION_VERDICTS[verdict]} {comment}".strip(),
    )
    if verdict == "unsatisfied":
        await notify.tell_supervisors(
            "rating.rectify_unsatisfied",
            {**await _subject(rating), "comment": comment[:200]},
            dedupe_key=f"rating.unsat:{rect.id}",
        )
    return await Rectification.get(id=rect.id)
