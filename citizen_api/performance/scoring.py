"""How a score is made (pure functions; README「效能考评」says the same in words).

Each of the five sub-scores is 0–100 from the raw figures of the cases behind it:

- ``on_time``: cases decided in the month on or before their deadline / those decided with a deadline;
- ``warnings``: cases decided in the month that never turned yellow or red / cases decided;
- ``steps_overdue``: the month's procedure steps within their own limit / steps (``facts.month_steps``);
- ``rating``: the mean of the cases' ratings, 非常满意 (5) = 100 … 非常不满意 (1) = 0, i.e. (level − 1) × 25;
- ``complaints``: 100 × (1 − complaints / cases decided), not below 0.

The score is the weighted mean of the sub-scores that have figures: a sub-score with none (no steps
recorded, no rating yet) leaves its weight to the others in proportion, so nobody gains or loses
for what was not measured. Rounded to one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

PARTS = ("on_time", "warnings", "steps_overdue", "rating", "complaints")
PART_LABELS = {
    "on_time": "按期办结",
    "warnings": "预警",
    "steps_overdue": "环节超期",
    "rating": "好差评",
    "complaints": "投诉",
}
# electronic supervision 60, social evaluation 40 (what the centre's 考评办法 weighs by default)
DEFAULT_WEIGHTS = {"on_time": 40, "warnings": 10, "steps_overdue": 10, "rating": 30, "complaints": 10}
BOARD_SIZE = 3  # 红榜: the best three ranks; 黑榜: the worst three (ties ranked equal)


@dataclass(frozen=True)
class CaseFigures:
    """What one case brings to one score."""

    decided: bool
    on_time: bool | None
    warned: bool
    rating: int | None
    complaints: int
    steps: int
    steps_overdue: int


@dataclass(frozen=True)
class Part:
    name: str
    score: float | None  # None: no figures this month
    numerator: float
    denominator: int
    text: str  # the raw figures in words: 「38/40 按期办结」


def _ratio(good: float, of: int) -> float | None:
    return None if of == 0 else round(100 * good / of, 1)


def parts_of(cases: Iterable[CaseFigures]) -> list[Part]:
    rows = list(cases)
    decided = [c for c in rows if c.decided]
    timed = [c for c in decided if c.on_time is not None]
    on_time = sum(1 for c in timed if c.on_time)
    clean = sum(1 for c in decided if not c.warned)
    steps = sum(c.steps for c in rows)
    late_steps = sum(c.steps_overdue for c in rows)
    rated = [c.rating for c in decided if c.rating is not None]
    rating_points = sum((level - 1) * 25 for level in rated)
    complaints = sum(c.complaints for c in decided)
    complaint_score = None if not decided else round(max(0.0, 100 * (1 - complaints / len(decided))), 1)
    mean_level = f"平均 {sum(rated) / len(rated):.2f} 级" if rated else "暂无评价"
    return [
        Part("on_time", _ratio(on_time, len(timed)), on_time, len(timed), f"{on_time}/{len(timed)} 按期办结"),
        Part("warnings", _ratio(clean, len(decided)), len(decided) - clean, len(decided),
             f"{len(decided) - clean}/{len(decided)} 件曾亮黄灯或红灯"),
        Part("steps_overdue", _ratio(steps - late_steps, steps), late_steps, steps,
             f"{late_steps}/{steps} 个环节超期"),
        Part("rating", None if not rated else round(rating_points / len(rated), 1), sum(rated), len(rated),
             f"{len(rated)} 件评价，{mean_level}"),
        Part("complaints", complaint_score, complaints, len(decided),
             f"{complaints} 件投诉 / {len(decided)} 件办结"),
    ]  # fmt: skip


def total(parts: Sequence[Part], weights: dict[str, int]) -> float | None:
    """The weighted mean of the sub-scores with figures (their weights rescaled to 100)."""
    measured = [(p.score, weights.get(p.name, 0)) for p in parts if p.score is not None]
    weight = sum(w for _, w in measured)
    if weight == 0:
        return None
    # exact tenths, rounded half up: the figure a reader gets from the shown sub-scores and weights
    tenths = Fraction(sum(round(score * 10) * w for score, w in measured), weight)
    return math.floor(tenths + Fraction(1, 2)) / 10


@dataclass(frozen=True)
class Placed:
    rank: int | None  # 1 = best; equal scores share a rank (1, 1, 3); None: no score
    board: str | None  # "red" 红榜 | "black" 黑榜 | None


def places(scores: Sequence[float | None], size: int = BOARD_SIZE) -> list[Placed]:
    """Competition ranking (1, 1, 3) of ``scores``; 红榜 the ranks up to ``size``, 黑榜 the rows with
    fewer than ``size`` scored rows below them that are not on the 红榜 (a row is on one board at most)."""
    scored = [s for s in scores if s is not None]
    out = []
    for score in scores:
        if score is None:
            out.append(Placed(None, None))
            continue
        rank = 1 + sum(1 for s in scored if s > score)
        from_bottom = 1 + sum(1 for s in scored if s < score)
        board = "red" if rank <= size else "black" if from_bottom <= size else None
        out.append(Placed(rank, board))
    return out
