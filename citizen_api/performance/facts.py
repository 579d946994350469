"""A month's figures, gathered from the domains below through their services, and turned into the
rows of ``performance_scores`` and ``performance_cases`` (nothing is written here).

Who a case counts for: its department; the clerk who accepted it (the first acceptance in its
timeline) and the window that clerk works at (their desk). A procedure step counts for its department,
the staff member who held it and that person's window, in the month it is finished in; a step not
finished by the month's last day counts in it only when already past its limit then (see
``month_steps``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from citizen_api.appointments import service as appointments
from citizen_api.cases import service as cases
from citizen_api.cases.service import StepFact
from citizen_api.catalog import service as catalog
from citizen_api.complaints import service as complaints
from citizen_api.performance import scoring
from citizen_api.performance.months import Month
from citizen_api.ratings import service as ratings
from citizen_api.users import service as users

Target = tuple[str, str]  # (level, key)


@dataclass
class Gathered:
    scores: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    distinct_cases: int


def _blank() -> dict[str, Any]:
    return {"decided": False, "on_time": None, "warned": False, "rating": None, "complaints": 0,
            "steps": 0, "steps_overdue": 0}  # fmt: skip


def _targets(department: str, person: int | None, desks: dict[int, Any]) -> list[Target]:
    targets = [("department", department)]
    if person is not None:
        targets.append(("staff", str(person)))
        desk = desks.get(person)
        if desk is not None:
            targets.append(("window", str(desk.window_id)))
    return targets


def month_steps(steps: list[StepFact], last_day: date) -> list[tuple[StepFact, bool]]:
    """The steps (started or finished in the month) the month counts, each with whether it is overdue.

    A step finished by the month's last day counts, late when finished past its limit. One not
    finished by then counts only when already past its limit on that day: one still within it counts
    in the month it is finished instead. Judged by the dates, not by the step's state now, so a
    recompute after later work (a step finished late next month) leaves the month's figures as they
    were, and a step started in one month and finished in the next counts once, where it finished.
    """
    counted = []
    for step in steps:
        if step.finished_on is not None and step.finished_on <= last_day:
            counted.append((step, step.overdue))
        elif step.limit_on is not None and last_day > step.limit_on:
            counted.append((step, True))
    return counted


async def gather(month: Month, weights: dict[str, int]) -> Gathered:
    steps = month_steps(await cases.step_facts(month.first_day, month.last_day), month.last_day)
    facts = await cases.performance_facts(month.lo, month.hi, [s.case_id for s, _ in steps])
    decided = [f.id for f in facts if f.decided_in_period]
    levels = await ratings.rating_facts(decided)
    complained = await complaints.complaint_facts(decided)
    people = {f.accepted_by for f in facts if f.accepted_by} | {s.holder_id for s, _ in steps if s.holder_id}
    desks = await appointments.desk_facts(people)
    names = await users.staff_names_and_departments(people)
    departments = await catalog.department_names()

    figures: dict[Target, dict[int, dict[str, Any]]] = defaultdict(dict)
    for fact in facts:
        if not fact.decided_in_period:
            continue
        counted = {"decided": True, "on_time": fact.on_time, "warned": fact.warned,
                   "rating": levels.get(fact.id), "complaints": complained.get(fact.id, 0)}  # fmt: skip
        for target in _targets(fact.department_code, fact.accepted_by, desks):
            figures[target].setdefault(fact.id, _blank()).update(counted)
    for step, overdue in steps:
        for target in _targets(step.department_code, step.holder_id, desks):
            row = figures[target].setdefault(step.case_id, _blank())
            row["steps"] += 1
            row["steps_overdue"] += int(overdue)

    by_id = {f.id: f for f in facts}
    windows = {str(d.window_id): d for d in desks.values()}

    def label(level: str, key: str) -> tuple[str, str | None]:
        if level == "department":
            return departments.get(key, key), key
        if level == "staff":
            name, department = names.get(int(key), (f"账号 {key}", None))
            return name, department
        return windows[key].label, windows[key].department_code

    scores, case_rows = [], []
    for (level, key), per_case in sorted(figures.items()):
        parts = scoring.parts_of(scoring.CaseFigures(**f) for f in per_case.values())
        name, department = label(level, key)
        scores.append({
            "level": level, "key": key, "label": name[:100], "department_code": department,
            "score": scoring.total(parts, weights), "cases": len(per_case),
            "parts": [vars(p) for p in parts],
        })  # fmt: skip
        for case_id, counted in per_case.items():
            fact = by_id[case_id]
            case_rows.append({"level": level, "key": key, "case_id": case_id, "number": fact.number,
                              "item_name": fact.item_name, **counted})  # fmt: skip
    return Gathered(scores, case_rows, len(by_id))
