"""电子监察 statistics per department over a date range, in a handful of grouped queries.

Rates are percents (0–100, two decimals), like every rate the service answers; None when there is
nothing to divide by. Without a range: the last 30 days up to today (``PeriodQuery``).

- on-time rate: cases decided in the range on or before their deadline / cases decided;
- average working days: acceptance → decision, suspensions excluded (stored at decision);
- online share: cases filed online (the mini-program) / cases filed in the range;
- zero-trip share: cases filed in the range whose item needs no visit (到现场次数 0) and whose
  result was not collected at the window / cases filed;
- open cases by warning: now, whatever the range.
"""

from __future__ import annotations

from collections import Counter

from citizen_api import clock
from citizen_api.cases import stats_series as series
from citizen_api.cases.repository import supervision as repo
from citizen_api.cases.schemas_supervision import DepartmentStats, OpenByWarning, Stats, StatsQuery
from citizen_api.catalog import service as catalog
from citizen_api.security.principal import Principal

RAW_KEYS = ("submitted", "decided", "on_time", "days", "timed", "online", "zero_trip")


async def stats(principal: Principal, query: StatsQuery) -> Stats:
    department = series.department_of(principal, query.department)
    today = clock.today()
    start, end = query.period(today)
    days = await series.read_days(start, end, department, warnings=False)
    counts = await repo.open_counts(principal, query.department, today)

    names = {
        code: name
        for code, name in (await catalog.department_names()).items()
        if principal.may_see_department(code) and query.department in (None, code)
    }
    codes = set(names) | days.departments()
    for level_counts in counts["open_by_warning"].values():
        codes |= set(level_counts)

    def n(table: dict, code: str, key: str = "n") -> int:
        return int((table.get(code) or {}).get(key) or 0)

    raws = {}
    by_department = days.by_department()
    for code in sorted(codes):
        folded = by_department.get(code, Counter())
        raws[code] = {key: folded[key] for key in RAW_KEYS}
    opens = {
        code: {level: n(table, code) for level, table in counts["open_by_warning"].items()}
        | {"calendar_uncertain": n(counts["uncertain"], code)}
        for code in raws
    }
    rows = [_row(code, names.get(code), raws[code], opens[code]) for code in raws]
    total = _row("*", "合计", _sum(raws.values()), _sum(opens.values()))
    return Stats(**{"from": start}, to=end, departments=rows, total=total)


def _sum(tables) -> dict[str, int]:
    total: dict[str, int] = {}
    for table in tables:
        for key, value in table.items():
            total[key] = total.get(key, 0) + value
    return total


def _row(code: str, name: str | None, raw: dict[str, int], open_by: dict[str, int]) -> DepartmentStats:
    return DepartmentStats(
        department_code=code,
        department_name=name,
        submitted=raw.get("submitted", 0),
        decided=raw.get("decided", 0),
        on_time=raw.get("on_time", 0),
        on_time_rate=series.value("on_time_rate", Counter(raw)),
        average_working_days=series.value("avg_working_days", Counter(raw)),
        online_share=series.value("online_rate", Counter(raw)),
        zero_trip_share=series.value("zero_trip_rate", Counter(raw)),
        open_by_warning=OpenByWarning(**open_by),
    )
