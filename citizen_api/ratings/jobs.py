"""Periodic 好差评 work: automatic 基本满意, rectification deadlines, follow-ups (overdue complaints
are the complaints domain's own job).

``run_rating_jobs(ctx)`` may run in several processes at once: ratings are unique per case, every
status change is a conditional UPDATE, and every message carries a dedupe key.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from citizen_api import clock
from citizen_api.jobs import JobContext
from citizen_api.ratings import notify, ports, rectification
from citizen_api.ratings import repository as repo
from citizen_api.ratings.models import CASE, Rectification
from citizen_api.ratings.transitions import SYSTEM
from citizen_api.ratings.vocabulary import AUTOMATIC_LEVEL, LEVELS
from notifications import outbox

BATCH = 500


async def run_rating_jobs(ctx: JobContext) -> int:
    """One pass; returns how many ratings and rectifications it acted on."""
    now = ctx.now.astimezone(UTC)  # SQLite compares stored times as text: query in UTC, as they are stored
    return (
        await auto_rate(ctx, now)
        + await deadline_warnings(ctx, clock.to_local(now).date())
        + await follow_ups(ctx, now)
    )


async def auto_rate(ctx: JobContext, now: datetime) -> int:
    """Cases done more than the window ago and never rated get 基本满意, marked automatic."""
    days = ctx.settings.rating_window_days
    threshold = now - timedelta(days=days)
    made = 0
    while True:
        cases = await ports.cases().unrated_done(threshold, BATCH)
        for case in cases:
            async with ctx.atomic():
                rating = await repo.insert_rating(
                    kind=CASE,
                    application_id=case.id,
                    user_id=case.applicant_id,
                    department_code=case.department_code,
                    level=AUTOMATIC_LEVEL,
                    automatic=True,
                    service_at=case.done_at,
                )
                if rating is not None:
                    made += 1
                    await ports.cases().add_rating_entry(
                        case.id, f"办结后 {days} 天内未评价，默认「{LEVELS[AUTOMATIC_LEVEL]}」", None, SYSTEM
                    )
        if len(cases) < BATCH:
            return made


async def deadline_warnings(ctx: JobContext, today: date) -> int:
    """On a deadline day the department is reminded; once it has passed, the supervisors are told."""
    acted = 0
    for rect in await repo.due_visits(today, BATCH):
        acted += await _warn(ctx, rect, "visit", today > rect.visit_due)
    for rect in await repo.due_fixes(today, BATCH):
        acted += await _warn(ctx, rect, "rectify", today > rect.rectify_due)
    return acted


async def _warn(ctx: JobContext, rect: Rectification, what: str, overdue: bool) -> int:
    due = rect.visit_due if what == "visit" else rect.rectify_due
    payload = {
        "rating_id": rect.rating_id,
        "rectification_id": rect.id,
        "due": due.isoformat(),
        "what": "回访" if what == "visit" else "整改",
        "overdue": overdue,
    }
    async with ctx.atomic():
        sent = await notify.warn_department(
            rect.department_code, f"rating.{what}_due", payload, dedupe_key=f"rating.{what}_due:{rect.id}"
        )
        if overdue:
            sent += await notify.tell_supervisors(
                f"rating.{what}_overdue",
                {**payload, "department": rect.department_code},
                dedupe_key=f"rating.{what}_overdue:{rect.id}",
            )
    return 1 if sent else 0


async def follow_ups(ctx: JobContext, now: datetime) -> int:
    """Rectified but not judged: ask the citizen once; after the rating window more, close it."""
    ask_before = now - timedelta(days=ctx.settings.rating_follow_up_days)
    close_before = ask_before - timedelta(days=ctx.settings.rating_window_days)
    acted = 0
    for rect in await repo.unjudged(ask_before, BATCH):
        async with ctx.atomic():
            if rect.rectified_at < close_before:
                if await rectification.move(
                    rect, "expire", None, SYSTEM, "群众未在期限内评价整改结果", closed_at=now
                ):
                    acted += 1
                continue
            await outbox.enqueue(
                rect.rating.user_id,
                "rating.follow_up",
                {"rating_id": rect.rating_id, "rectification_id": rect.id, "note": rect.rectify_note[:200]},
                dedupe_key=f"rating.follow_up:{rect.id}",
            )
            acted += 1
    return acted
