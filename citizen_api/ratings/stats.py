"""好差评 statistics as GB/T 39735-2020 defines them.

The arithmetic (:func:`rates`) is a pure function of a :class:`Tally`; the queries that fill a tally
are below it. Definitions (all over the period's services: a case counts in the period it was
decided, a window visit in the period it was checked in):

- 好评率 = ratings at level 4–5 / ratings;
- 差评率 = ratings at level 1–2 / ratings;
- 差评整改率 = 差评 whose rectification is done (rectified or closed) / 差评;
- 未评价率 = decided cases the citizen did not rate (including those given 基本满意 automatically)
  / decided cases;
- 主动评价好评率 = like 好评率, over the ratings the citizen gave (automatic ones left out).
Ratings excluded after an upheld appeal leave every count except 未评价率 (the citizen did rate).
A rate whose denominator is 0 is ``None`` (no data), not 0 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from citizen_api.clock import CST
from citizen_api.http.schemas import percent
from citizen_api.ratings import ports
from citizen_api.ratings import repository as repo
from citizen_api.ratings.vocabulary import BAD_LEVELS, GOOD_LEVELS


@dataclass
class Tally:
    by_level: Counter = field(default_factory=Counter)  # counted ratings (not excluded), by level
    active_by_level: Counter = field(default_factory=Counter)  # of those, the ones the citizen gave
    bad_rectified: int = 0  # counted 差评 whose rectification is rectified or closed
    done_cases: int = 0
    cases_rated_by_citizen: int = 0  # decided cases with a rating the citizen gave (even if excluded)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.by_level + other.by_level,
            self.active_by_level + other.active_by_level,
            self.bad_rectified + other.bad_rectified,
            self.done_cases + other.done_cases,
            self.cases_rated_by_citizen + other.cases_rated_by_citizen,
        )


def good_rate(by_level: Counter) -> float | None:
    """好评率 % of counted ratings by level (the one formula of the stats, the series, the dashboard)."""
    return percent(sum(by_level[level] for level in GOOD_LEVELS), sum(by_level.values()))


def satisfaction(by_level: Counter) -> float | None:
    """满意度: the mean level (1–5, two decimals) of counted ratings; None without ratings."""
    rated = sum(by_level.values())
    if not rated:
        return None
    return round(sum(level * n for level, n in by_level.items()) / rated, 2)


def rates(tally: Tally) -> dict[str, int | float | None]:
    rated = sum(tally.by_level.values())
    good = sum(tally.by_level[level] for level in GOOD_LEVELS)
    bad = sum(tally.by_level[level] for level in BAD_LEVELS)
    active_rated = sum(tally.active_by_level.values())
    active_good = sum(tally.active_by_level[level] for level in GOOD_LEVELS)
    unrated = max(tally.done_cases - tally.cases_rated_by_citizen, 0)
    return {
        "rated": rated,
        "good": good,
        "bad": bad,
        "bad_rectified": tally.bad_rectified,
        "done_cases": tally.done_cases,
        "unrated_cases": unrated,
        "active_rated": active_rated,
        "active_good": active_good,
        "good_rate": good_rate(tally.by_level),
        "satisfaction": satisfaction(tally.by_level),
        "bad_rate": percent(bad, rated),
        "rectify_rate": percent(tally.bad_rectified, bad),
        "unrated_rate": percent(unrated, tally.done_cases),
        "active_good_rate": percent(active_good, active_rated),
    }


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in China time, as UTC (how times are stored)."""
    lo = datetime.combine(start, time(), CST)
    hi = datetime.combine(end + timedelta(days=1), time(), CST)
    return lo.astimezone(UTC), hi.astimezone(UTC)


async def tallies(start: date, end: date, department: str | None = None) -> dict[str, Tally]:
    """One tally per department for services in [start, end]."""
    lo, hi = period_bounds(start, end)
    out: dict[str, Tally] = {}

    def of(code: str) -> Tally:
        return out.setdefault(code, Tally())

    for row in await repo.counted_by_level(lo, hi, department):
        tally = of(row["department_code"])
        tally.by_level[row["level"]] += row["n"]
        if not row["automatic"]:
            tally.active_by_level[row["level"]] += row["n"]
    for code, n in (await repo.rectified_bad(lo, hi, department)).items():
        of(code).bad_rectified += n
    for code, n in (await repo.citizen_case_ratings(lo, hi, department)).items():
        of(code).cases_rated_by_citizen += n
    for code, n in (await ports.cases().done_counts(lo, hi, department)).items():
        of(code).done_cases += n
    return out


async def levels_by(start: date, end: date, department: str | None = None, bucket: str = "all") -> list[dict]:
    """Counted ratings of services in [start, end] as rows of (department_code, period, level, n), the
    period a China-time week, month or ``all``: the series and the dashboard fold them."""
    lo, hi = period_bounds(start, end)
    return await repo.levels_by(lo, hi, department, bucket)
