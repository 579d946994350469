"""电子监察 figures by period: the counts of every metric per (department, day), folded into weeks
(from Monday) or months (from the 1st), into departments, or into one whole period.

One formula per metric (:data:`RATES` and :func:`value`): ``GET /staff/stats``, ``/staff/stats/series``
and ``/staff/stats/dashboard`` all read the same rows (``cases/repository/series.py`` and the ratings'
``levels_by``) through it, so a period's value in the series equals the stats of the same from/to.

- rates are percents (0–100, two decimals, like every rate the service answers); None when there is
  nothing to divide by, and an empty period of a rate is None, of a count 0;
- ``open_yellow``/``open_red``: the cases showing that warning at the period's end (or now, for the
  period running today), rebuilt from the cases' yellow date, deadline and decision (a suspension's
  frozen clock is not replayed for past periods);
- ``warnings_yellow``/``warnings_red``: the yellow and red cards written in the period.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from citizen_api import clock
from citizen_api.cases.repository import series as repo
from citizen_api.cases.repository import supervision as supervision_repo
from citizen_api.cases.schemas_supervision import (
    Dashboard,
    DashboardDepartment,
    DashboardFigures,
    DashboardPeriod,
    DashboardQuery,
    SeriesPoint,
    SeriesQuery,
)
from citizen_api.catalog import service as catalog
from citizen_api.errors import forbidden
from citizen_api.http.schemas import percent
from citizen_api.ratings import service as ratings
from citizen_api.security.principal import Principal

RATE_METRICS = (
    "on_time_rate",
    "good_rate",
    "satisfaction",
    "online_rate",
    "zero_trip_rate",
    "avg_working_days",
)
COUNT_METRICS = ("finished", "open_yellow", "open_red", "warnings_yellow", "warnings_red")
METRICS = RATE_METRICS + COUNT_METRICS
DASHBOARD_RATES = ("on_time_rate", "good_rate", "online_rate", "zero_trip_rate", "avg_working_days")


# the rollup's figures of a period, as the raw counts the formulas read
CASE_FIGURES = ("submitted", "online", "zero_trip", "decided", "on_time", "days", "timed")
CARD_FIGURES = ("warnings_yellow", "warnings_red")


def value(metric: str, raw: Counter) -> float | int | None:
    """The one formula of ``metric`` over a period's raw counts."""
    if metric == "on_time_rate":
        return percent(raw["on_time"], raw["decided"])
    if metric in ("good_rate", "satisfaction"):
        levels = Counter({level: raw[f"r{level}"] for level in range(1, 6)})
        return ratings.good_rate(levels) if metric == "good_rate" else ratings.satisfaction(levels)
    if metric == "online_rate":
        return percent(raw["online"], raw["submitted"])
    if metric == "zero_trip_rate":
        return percent(raw["zero_trip"], raw["submitted"])
    if metric == "avg_working_days":
        return round(raw["days"] / raw["timed"], 2) if raw["timed"] else None
    if metric == "finished":
        return raw["decided"]
    return raw[metric]  # the counts: open_yellow, open_red, warnings_yellow, warnings_red


def period_start(day: date, interval: str) -> date:
    return day - timedelta(days=day.weekday()) if interval == "week" else day.replace(day=1)


def next_period(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods(start: date, end: date, interval: str) -> list[date]:
    out, at = [], period_start(start, interval)
    while at <= end:
        out.append(at)
        at = next_period(at, interval)
    return out


@dataclass
class Days:
    """Raw counts per (department, period) — ``bucket`` "week", "month" or "all" — and the warning
    interval events per department, each in the period of its day (events after ``end`` left out)."""

    start: date
    end: date
    bucket: str = "all"
    counts: dict[tuple[str, date], Counter] = field(default_factory=lambda: defaultdict(Counter))
    events: dict[str, list[tuple[date, str, int]]] = field(default_factory=lambda: defaultdict(list))

    def departments(self) -> set[str]:
        return {code for code, _ in self.counts} | set(self.events)

    def by_department(self) -> dict[str, Counter]:
        out: dict[str, Counter] = defaultdict(Counter)
        for (code, _period), counts in self.counts.items():
            out[code].update(counts)
        return out


def department_of(principal: Principal, department: str | None) -> str | None:
    """The department the figures cover (None: all), checked against the staff member's scope."""
    if department and not principal.may_see_department(department):
        raise forbidden("只能查看本部门的统计")
    if principal.sees_all_departments:
        return department
    return principal.department or "\x00none"


async def read_days(
    start: date, end: date, department: str | None, *, bucket: str = "all", warnings: bool = True
) -> Days:
    """Every family's rows for [start, end] (``department`` None: all departments), by ``bucket``."""
    days = Days(start, end, bucket)
    # independent reads: PostgreSQL runs them side by side on the pool's connections (a GET is in no
    # transaction); SQLite's one connection takes them in turn
    rows, rated = await asyncio.gather(
        repo.figures(start, end, department, bucket, warnings=warnings),
        ratings.levels_by(start, end, department, bucket),
    )
    counts, events = days.counts, days.events
    for row in rows:
        code, period = row["department_code"], row["period"]
        if period != repo.ALL or bucket == "all":  # (ALL of a week or month: the events before start)
            figures = counts[code, period]
            for key in CASE_FIGURES + CARD_FIGURES if warnings else CASE_FIGURES:
                if row[key]:
                    figures[key] += row[key]
        if warnings:
            for kind in ("ys", "ye", "rs", "re"):
                if row[kind]:
                    events[code].append((period, kind, row[kind]))
    for row in rated:
        counts[row["department_code"], row["period"]][f"r{row['level']}"] += row["n"]
    return days


def all_series(
    days: Days,
    metrics: Iterable[str],
    live_open: Counter | None,
    codes: Iterable[str] | None = None,
) -> dict[str, list[dict]]:
    """``{metric: [{period_start, value}]}``, every period of [days.start, days.end] present (``days``
    read by week or month). ``live_open``: today's open_yellow/open_red (the period running today)."""
    today = clock.today()
    wanted = None if codes is None else set(codes)
    starts = periods(days.start, days.end, days.bucket)
    buckets: dict[date, Counter] = {start: Counter() for start in starts}
    for (code, period), counts in days.counts.items():
        if (wanted is None or code in wanted) and period in buckets:
            buckets[period].update(counts)
    events = sorted(
        (period, kind, n)
        for code, rows in days.events.items()
        if wanted is None or code in wanted
        for period, kind, n in rows
    )
    showing: Counter = Counter()
    position = 0
    out: dict[str, list[dict]] = {metric: [] for metric in metrics}
    for start in starts:
        last = min(next_period(start, days.bucket) - timedelta(days=1), days.end)
        while position < len(events) and events[position][0] <= start:  # every event up to the period's end
            _period, kind, n = events[position]
            showing["open_yellow" if kind[0] == "y" else "open_red"] += n if kind[1] == "s" else -n
            position += 1
        for metric, series in out.items():
            if metric in ("open_yellow", "open_red"):
                live = last >= today and live_open is not None
                figure = live_open[metric] if live else max(showing[metric], 0)
            else:
                figure = value(metric, buckets[start])
            series.append({"period_start": start, "value": figure})
    return out


# -- the endpoints' answers


async def _live_open(principal: Principal, department: str | None, today: date) -> dict[str, Counter]:
    """Today's open cases per department: open, open_yellow, open_red."""
    counts = await supervision_repo.open_counts(principal, department, today)
    out: dict[str, Counter] = defaultdict(Counter)
    for level, key in (("none", "open_none"), ("yellow", "open_yellow"), ("red", "open_red")):
        for code, row in counts["open_by_warning"][level].items():
            out[code][key] += int(row["n"] or 0)
    for figures in out.values():
        figures["open"] = figures["open_none"] + figures["open_yellow"] + figures["open_red"]
    return out


def _total(live: dict[str, Counter]) -> Counter:
    total: Counter = Counter()
    for figures in live.values():
        total.update(figures)
    return total


async def series(principal: Principal, query: SeriesQuery) -> list[SeriesPoint]:
    department = department_of(principal, query.department)
    today = clock.today()
    start, end = query.period(today)
    open_metric = query.metric in ("open_yellow", "open_red")
    warnings = open_metric or query.metric.startswith("warnings_")
    days = await read_days(start, end, department, bucket=query.interval, warnings=warnings)
    live = _total(await _live_open(principal, query.department, today)) if open_metric else None
    points = all_series(days, [query.metric], live)[query.metric]
    return [SeriesPoint(**point) for point in points]


def dashboard_period(query: DashboardQuery, today: date) -> tuple[date, date]:
    """The given from/to, else the last 12 months: from the 1st of the month 11 months back to today."""
    end = query.to or today
    if query.from_:
        return query.from_, end
    month = end.year * 12 + end.month - 1 - 11
    return date(month // 12, month % 12 + 1, 1), end


def _figures(raw: Counter, live: Counter) -> dict:
    return {
        **{metric: value(metric, raw) for metric in DASHBOARD_RATES},
        "open": live["open"],
        "open_yellow": live["open_yellow"],
        "open_red": live["open_red"],
        "ratings": {str(level): raw[f"r{level}"] for level in range(1, 6)},
    }


async def dashboard(principal: Principal, query: DashboardQuery) -> Dashboard:
    department = department_of(principal, query.department)
    today = clock.today()
    start, end = dashboard_period(query, today)
    days, live, all_names = await asyncio.gather(
        read_days(start, end, department, bucket=query.interval),
        _live_open(principal, query.department, today),
        catalog.department_names(),
    )
    names = {code: name for code, name in all_names.items() if query.department in (None, code)}
    codes = sorted(set(names) | days.departments() | set(live))
    folded = days.by_department()
    departments = [
        DashboardDepartment(
            code=code,
            name=names.get(code),
            **_figures(folded.get(code, Counter()), live.get(code, Counter())),
        )
        for code in codes
    ]
    total_open = _total(live)
    return Dashboard(
        period=DashboardPeriod(from_=start, to=end),
        interval=query.interval,
        departments=departments,
        totals=DashboardFigures(**_figures(_total(folded), total_open)),  # the departments' sum
        series=all_series(days, METRICS, total_open),
    )
