"""Periodic 好差评 work: automatic 基本满意, rectification deadlines, follow-ups (overdue complaints
are the complaints domain's own job).

``run_rating_jobs(ctx)`` may run in several processes at once: ratings are unique per case, every
status change is a conditional UPDATE, and every message carries a dedupe key.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from citizen_api import clock, db
from citizen_api.delivery import notify
from citizen_api.jobs import JobContext
from citizen_api.ratings import models as m
from citizen_api.ratings import repository as repo
from citizen_api.ratings.models import Rating, Rectification
from citizen_api.ratings.service import RATEABLE, done_at
from citizen_api.ratings.vocabulary import AUTOMATIC_LEVEL, LEVELS
from citizen_api.settings import Settings
from notifications import outbox

BATCH = 500


async def run_rating_jobs(ctx: JobContext) -> int:
    """One pass; returns how many ratings and rectifications it acted on."""
    now = ctx.now.astimezone(UTC)  # SQLite compares stored times as text: query in UTC, as they are stored
    return (
        await auto_rate(now, ctx.settings)
        + await deadline_warnings(clock.to_local(now).date())
        + await follow_ups(now, ctx.settings)
    )


async def auto_rate(now: datetime, settings: Settings) -> int:
    """Cases decided more than the window ago and never rated get 基本满意, marked automatic."""
    threshold = now - timedelta(days=settings.rating_window_days)
    made = 0
    while True:
        cases = await repo.unrated_done_cases(threshold, RATEABLE, BATCH)
        if not cases:
            return made
        for case in cases:
            async with db.atomic():
                rating = await repo.insert_rating(
                    kind=m.CASE,
                    application_id=case.id,
                    user_id=case.applicant_id,
                    department_code=case.department_code,
                    level=AUTOMATIC_LEVEL,
                    automatic=True,
                    service_at=done_at(case),
                )
                if rating is not None:
                    made += 1
                    await repo.add_case_timeline(
                        case.id,
                        case.status,
                        f"办结后 {settings.rating_window_days} 天内未评价，默认「{LEVELS[AUTOMATIC_LEVEL]}」",
                        None,
                        "system",
                    )
        if len(cases) < BATCH:
            return made


async def deadline_warnings(today) -> int:
    """On a deadline day the department is reminded; once it has passed, the supervisors are told."""
    acted = 0
    for rect in await Rectification.filter(status=m.OPEN, visit_due__lte=today).limit(BATCH):
        acted += await _warn(rect, "visit", today > rect.visit_due)
    for rect in await Rectification.filter(status__in=[m.OPEN, m.VISITED], rectify_due__lte=today).limit(
        BATCH
    ):
        acted += await _warn(rect, "rectify", today > rect.rectify_due)
    return acted


async def _warn(rect: Rectification, what: str, overdue: bool) -> int:
    due = rect.visit_due if what == "visit" else rect.rectify_due
    payload = {
        "rating_id": rect.rating_id,
        "rectification_id": rect.id,
        "due": due.isoformat(),
        "what": "回访" if what == "visit" else "整改",
        "overdue": overdue,
    }
    async with db.atomic():
        sent = await notify.warn_staff(
            rect.department_code, f"rating.{what}_due", payload, dedupe_key=f"rating.{what}_due:{rect.id}"
        )
        if overdue:
            sent += await notify.tell_supervisors(
                f"rating.{what}_overdue",
                {**payload, "department": rect.department_code},
                dedupe_key=f"rating.{what}_overdue:{rect.id}",
            )
    return 1 if sent else 0


async def follow_ups(now: datetime, settings: Settings) -> int:
    """Rectified but not judged: ask the citizen once; after the rating window more, close it."""
    ask_before = now - timedelta(days=settings.rating_follow_up_days)
    close_before = ask_before - timedelta(days=settings.rating_window_days)
    acted = 0
    for rect in await Rectification.filter(status=m.RECTIFIED, rectified_at__lt=ask_before).limit(BATCH):
        rating = await Rating.get(id=rect.rating_id)
        async with db.atomic():
            if rect.rectified_at < close_before:
                if await repo.move_rectification(rect.id, (m.RECTIFIED,), status=m.CLOSED, closed_at=now):
                    await repo.add_note(
                        rect.id, None, "system", m.RECTIFIED, m.CLOSED, "群众未在期限内评价整改结果"
                    )
                    acted += 1
                continue
            await outbox.enqueue(
                rating.user_id,
                "rating.follow_up",
                {"rating_id": rating.id, "rectification_id": rect.id, "note": rect.rectify_note[:200]},
                dedupe_key=f"rating.follow_up:{rect.id}",
            )
            acted += 1
    return acted
