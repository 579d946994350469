"""电子监察: the periodic warning job and the warning list.

``run_warnings(ctx)`` is a periodic job (registered in ``citizen_api.domains``). For every running
case it stores the warning the case shows at ``ctx.now``; when a case turns yellow or red it writes one
``SupervisionWarning`` row and one ``case.warning`` outbox row per responsible staff member
(window clerks and approvers of the department). Both are idempotent per (case, level): the job
may run as often as wanted, overlap itself, or be re-run after a crash.
"""

from __future__ import annotations

from datetime import date

import structlog

from citizen_api import clock
from citizen_api.cases.deadlines import warning_of, warning_on
from citizen_api.cases.models import Application
from citizen_api.cases.repository import supervision as repo
from citizen_api.cases.schemas_supervision import WarningQuery, WarningView
from citizen_api.cases.transitions import STATUS_TEXT
from citizen_api.catalog import service as catalog
from citizen_api.http import Page
from citizen_api.http.schemas import Overlay
from citizen_api.jobs import JobContext
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from citizen_api.workdays.service import working_days_between
from notifications import outbox

log = structlog.get_logger("onetrip.supervision")

BATCH = 500
_RANK = {"none": 0, "yellow": 1, "red": 2}
_LEVEL_TEXT = {
    "yellow": "即将到期（黄灯预警）",
    "red": "已超期（红灯预警）",
    "calendar_uncertain": "的期限跨越尚未公布节假日安排的年度，已按双休日推算，请在日历公布后核对",
}


async def run_warnings(ctx: JobContext) -> int:
    """Store today's warnings; returns how many cases turned yellow or red in this run."""
    today = clock.to_local(ctx.now).date()
    turned = 0
    staff_of: dict[str, list[int]] = {}
    while True:
        async with ctx.atomic():
            batch = await repo.stale_cases(today, BATCH)
            for case in batch:
                turned += await _store(case, today, staff_of)
        if len(batch) < BATCH:
            break
    if turned:
        log.info("supervision warnings", turned=turned, day=today.isoformat())
    return turned


async def _store(case: Application, today: date, staff_of: dict[str, list[int]]) -> int:
    level = warning_on(today, case.deadline, case.yellow_on)
    previous = case.warning
    updated = await repo.store_warning(case.id, previous, level)
    if not updated or _RANK[level] <= _RANK.get(previous, 0):
        return 0  # moved meanwhile, or calmer (a resumption moved the deadline): nothing to report
    case.warning = level
    await repo.record_warning(case, level)
    if case.department_code not in staff_of:
        staff_of[case.department_code] = await users.department_staff_ids(case.department_code)
    payload = _payload(case, level)
    for user_id in staff_of[case.department_code]:
        await outbox.enqueue(
            user_id,
            "case.warning",
            payload,
            audience="staff",
            dedupe_key=f"case.warning:{case.id}:{level}:{user_id}",
        )
    return 1


def _payload(case: Application, level: str) -> dict:
    return {
        "number": case.number,
        "item_name": case.item_name,
        "status": case.status,
        "status_text": STATUS_TEXT.get(case.status, case.status),
        "level": level,
        "note": f"办件 {case.number}（{case.item_name}）{_LEVEL_TEXT[level]}",
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "department_code": case.department_code,
    }


async def warn_uncertain(case: Application) -> bool:
    """A deadline computed over an unknown year: one warning row, and the supervisors are told
    (never silently wrong). Idempotent per case, like the yellow and red cards."""
    if not await repo.record_warning(case, "calendar_uncertain"):
        return False
    supervisors = await users.supervisor_ids()
    payload = _payload(case, "calendar_uncertain")
    for user_id in supervisors:
        await outbox.enqueue(
            user_id,
            "case.warning",
            payload,
            audience="staff",
            dedupe_key=f"case.warning:{case.id}:calendar_uncertain:{user_id}",
        )
    return True


async def days_overdue(case: Application, today: date) -> int:
    """Working days past the case's deadline, up to today or its decision; 0 when not overdue."""
    if case.deadline is None:
        return 0
    end = clock.to_local(case.decided_at).date() if case.decided_at else today
    return (await working_days_between(case.deadline, end))[0]


async def list_warnings(principal: Principal, query: WarningQuery) -> Page:
    total, rows = await repo.warnings_page(principal, query)
    today = clock.today()
    names = await catalog.department_names()
    items = []
    for row in rows:
        case = row.application
        overlay = Overlay(
            row,
            warning=warning_of(case, today),
            department_name=names.get(row.department_code),
            days_overdue=await days_overdue(case, today),
        )
        items.append(WarningView.model_validate(overlay))
    return Page(total=total, items=items)
