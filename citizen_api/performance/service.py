"""效能考评: monthly scores 0–100 per department, window and staff member from electronic supervision
(on time, warnings, steps overdue) and social evaluation (好差评, complaints), weighted as the
supervisors set; ranked with 红榜 and 黑榜; every score traceable to the cases behind it.

Services never commit. A month is computed once it is over (China time), by a supervisor or by the
monthly job; a recompute replaces it whole and takes the weights in force then, which stay with the
month (``scoring`` says how each sub-score is made).
"""

from __future__ import annotations

from datetime import datetime

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.errors import ApiError
from citizen_api.http import Page
from citizen_api.http.validation import validation_error
from citizen_api.performance import facts, months, scoring, xlsx
from citizen_api.performance.models import PerformanceScore
from citizen_api.performance.repository import months as repo
from citizen_api.performance.repository import weights as weights_repo
from citizen_api.performance.schemas import (
    LevelCount,
    MonthComputed,
    Part,
    RankedRow,
    Ranking,
    ScoreCase,
    Weights,
    WeightsOut,
)
from citizen_api.security.principal import Principal

LEVELS = ("department", "window", "staff")
LEVEL_TEXT = {"department": "部门", "window": "窗口", "staff": "工作人员"}


# -- the weighting


async def weights_in_force() -> tuple[dict[str, int], datetime | None]:
    row = await weights_repo.current()
    if row is None:
        return dict(scoring.DEFAULT_WEIGHTS), None
    return {name: getattr(row, name) for name in scoring.PARTS}, row.updated_at


async def get_weights() -> WeightsOut:
    values, at = await weights_in_force()
    return WeightsOut(weights=Weights(**values), defaults=Weights(**scoring.DEFAULT_WEIGHTS), updated_at=at)


async def put_weights(principal: Principal, body: Weights, request_id: str = "") -> WeightsOut:
    values = body.model_dump()
    if sum(values.values()) != 100:
        raise ApiError(
            422,
            "WEIGHTS_NOT_100",
            f"五项权重合计须为 100，现为 {sum(values.values())}",
            {"sum": sum(values.values())},
        )
    before, _ = await weights_in_force()
    await weights_repo.put(values, principal.user_id, clock.now())
    await audit.record(
        principal, "performance.weights", "performance_weights", 1, {"from": before, "to": values}, request_id
    )
    return await get_weights()


# -- computing a month


async def compute(principal: Principal | None, month_text: str, request_id: str = "") -> MonthComputed:
    month = months.over(months.parse(month_text))
    return await _compute(principal, month, request_id)


async def compute_once(month: months.Month) -> bool:
    """The monthly job's compute: ``month`` unless it has been computed already."""
    if await repo.month(month.name) is not None:
        return False
    weights, _ = await weights_in_force()
    gathered = await facts.gather(month, weights)
    if not gathered.scores:
        # nothing was decided nor any step taken (a centre that opened since): no ranking to store, and a
        # supervisor may still compute the empty month by hand; the job looks again next hour
        return False
    await _compute(None, month, given=(weights, gathered))  # the month is over: what was read stands
    return True


async def _compute(
    principal: Principal | None,
    month: months.Month,
    request_id: str = "",
    given: tuple[dict, facts.Gathered] | None = None,
) -> MonthComputed:
    weights, gathered = given if given is not None else ((await weights_in_force())[0], None)
    now = clock.now()
    await repo.lock_month(month.name, weights, principal.user_id if principal else None, now)
    if gathered is None:  # read under the month's lock: two computes at once queue, the later wins whole
        gathered = await facts.gather(month, weights)
    await repo.replace(month.name, gathered.scores, gathered.cases)
    counts = {level: 0 for level in LEVELS}
    for row in gathered.scores:
        counts[row["level"]] += 1
    await audit.record(
        principal,
        "performance.compute",
        "performance_month",
        month.name,
        {"weights": weights, "cases": gathered.distinct_cases, "rows": counts},
        request_id,
    )
    return MonthComputed(
        month=month.name,
        computed_at=now,
        weights=Weights(**weights),
        levels=[LevelCount(level=level, rows=n) for level, n in counts.items()],  # type: ignore[arg-type]
        cases=gathered.distinct_cases,
    )


# -- reading a month


def _level(level: str) -> str:
    if level not in LEVELS:
        raise validation_error({"path.level": "层级应为 department、window 或 staff"})
    return level


async def _computed(month_text: str):
    month = months.parse(month_text)
    row = await repo.month(month.name)
    if row is None:
        raise ApiError(404, "MONTH_NOT_COMPUTED", f"{month.name} 的效能考评尚未计算", {"month": month.name})
    return row


def _parts(row: PerformanceScore, weights: dict[str, int]) -> list[Part]:
    return [
        Part(label=scoring.PART_LABELS[p["name"]], weight=weights.get(p["name"], 0), **p) for p in row.parts
    ]


async def ranking(month_text: str, level: str) -> Ranking:
    month = await _computed(month_text)
    rows = await repo.scores(month.month, _level(level))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.label))
    placed = scoring.places([r.score for r in rows])
    return Ranking(
        month=month.month,
        level=level,  # type: ignore[arg-type]
        computed_at=month.computed_at,
        weights=Weights(**month.weights),
        rows=[
            RankedRow(
                rank=p.rank,
                board=p.board,  # type: ignore[arg-type]
                key=r.key,
                label=r.label,
                department_code=r.department_code,
                score=r.score,
                cases=r.cases,
                parts=_parts(r, month.weights),
            )
            for r, p in zip(rows, placed, strict=True)
        ],
    )


def _case(row) -> ScoreCase:
    return ScoreCase.model_validate(row, from_attributes=True)


async def score_cases(month_text: str, level: str, key: str, offset: int, size: int) -> Page[ScoreCase]:
    month = await _computed(month_text)
    if len(key) > 32 or await repo.score(month.month, _level(level), key) is None:
        raise ApiError(404, "NOT_FOUND", f"{month.month} 没有该{LEVEL_TEXT[level]}的得分")
    total, rows = await repo.cases_of(month.month, level, key, offset, size)
    return Page[ScoreCase](total=total, items=[_case(r) for r in rows])


async def export(principal: Principal, month_text: str, level: str, request_id: str = "") -> bytes:
    month = months.parse(month_text, "query.month")
    ranked = await ranking(month.name, level)
    rows = await repo.all_cases(month.name, level, xlsx.MAX_ROWS)
    labels = {r.key: r.label for r in ranked.rows}
    await audit.record(
        principal,
        "export.download",
        "export",
        "performance",
        {"rows": len(ranked.rows), "filters": {"month": month.name, "level": level}},
        request_id,
    )
    return xlsx.performance_workbook(ranked, LEVEL_TEXT[level], [(labels.get(r.key, r.key), r) for r in rows])
