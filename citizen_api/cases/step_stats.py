"""电子监察 per step: the time spent per step and per post (岗位), and the facts 效能考评 reads.

For a period [from, to] (default the last 30 days): a step counts as finished when it was finished
in the period (its working days spent, suspensions excluded, stored at the finish); overdue counts
the steps finished late in the period plus those open now past their limit; open counts the steps
open now that started by ``to``. Skipped steps (the decision came first) count nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from citizen_api import clock
from citizen_api.cases.models import CaseStep
from citizen_api.cases.repository import steps as repo
from citizen_api.cases.schemas_steps import PostStats, StepCodeStats, StepStats, StepStatsQuery
from citizen_api.cases.stats_series import department_of
from citizen_api.security.principal import Principal


def _figures(rows: list[CaseStep], today: date) -> dict[str, Any]:
    done = [r for r in rows if r.state == repo.DONE]
    spent = [r.days_used or 0 for r in done]
    late_open = [r for r in rows if r.state == repo.OPEN and r.limit_on is not None and today > r.limit_on]
    return {
        "finished": len(done),
        "average_working_days": round(sum(spent) / len(spent), 2) if spent else None,
        "max_working_days": max(spent) if spent else None,
        "overdue": sum(1 for r in done if r.overdue) + len(late_open),
        "open": sum(1 for r in rows if r.state == repo.OPEN),
    }


async def stats(principal: Principal, query: StepStatsQuery) -> StepStats:
    department = department_of(principal, query.department)
    today = clock.today()
    start, end = query.period(today)
    rows = await repo.steps_in_period(start, end, department)
    by_code: dict[str, list[CaseStep]] = defaultdict(list)
    by_post: dict[str, list[CaseStep]] = defaultdict(list)
    for row in rows:
        by_code[row.code].append(row)
        by_post[row.post].append(row)
    return StepStats(
        **{"from": start},
        to=end,
        department=department if principal.sees_all_departments else principal.department,
        by_step=[
            StepCodeStats(code=code, name=group[-1].name, **_figures(group, today))
            for code, group in sorted(by_code.items(), key=lambda kv: (min(r.seq for r in kv[1]), kv[0]))
        ],
        by_post=[PostStats(post=post, **_figures(group, today)) for post, group in sorted(by_post.items())],
    )


_RANK = {"none": 0, "yellow": 1, "red": 2}


async def facts(start: date, end: date) -> list[dict[str, Any]]:
    """The rows of ``cases.service.step_facts`` (as dicts: the service builds its ``StepFact``)."""
    result = []
    for row in await repo.steps_touching(start, end):
        still_late = row.limit_on is not None and end > row.limit_on
        overdue = row.overdue if row.state == repo.DONE else still_late
        result.append(
            {
                "case_id": row.application_id,  # type: ignore[attr-defined]
                "department_code": row.department_code,
                "step_code": row.code,
                "step_name": row.name,
                "post": row.post,
                "holder_id": row.holder_id,
                "started_on": row.started_on,
                "finished_on": row.finished_on,
                "limit_on": row.limit_on,
                "overdue": overdue,
                "warnings": _RANK.get(row.warned, 0),
            }
        )
    return result
