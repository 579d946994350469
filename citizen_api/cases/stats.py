"""电子监察 statistics per department over a date range, in a handful of grouped queries.

- on-time rate: cases decided in the range on or before their deadline / cases decided;
- average working days: acceptance → decision, suspensions excluded (stored at decision);
- online share: cases filed online (the mini-program) / cases filed in the range;
- zero-trip share: cases filed in the range whose item needs no visit (到现场次数 0) and whose
  result was not collected at the window / cases filed;
- open cases by warning: now, whatever the range.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.cases.repository import warning_filter
from citizen_api.cases.schemas_supervision import DepartmentStats, OpenByWarning, Stats, StatsQuery
from citizen_api.catalog.models import Department
from citizen_api.errors import forbidden
from citizen_api.security.principal import Principal, scope_to_department

_OPEN = ["accepted", "suspended"]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time(0), tzinfo=clock.CST),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=clock.CST),
    )


async def _grouped(query, **aggregates) -> dict[str, dict]:
    rows = (
        await query.annotate(**aggregates).group_by("department_code").values("department_code", *aggregates)
    )
    return {row["department_code"]: row for row in rows}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def stats(principal: Principal, query: StatsQuery) -> Stats:
    if query.department and not principal.may_see_department(query.department):
        raise forbidden("只能查看本部门的统计")
    today = clock.today()
    end = query.to or today
    start = query.from_ or end - timedelta(days=29)
    lower, upper = _bounds(start, end)
    base = scope_to_department(Application.all(), principal)
    if query.department:
        base = base.filter(department_code=query.department)

    filed = base.filter(submitted_at__gte=lower, submitted_at__lt=upper)
    submitted = await _grouped(filed, n=Count("id"))
    online = await _grouped(filed.filter(channel="online"), n=Count("id"))
    zero_trip = await _grouped(
        filed.filter(Q(item_trips=0) & (Q(delivery_channel__isnull=True) | ~Q(delivery_channel="window"))),
        n=Count("id"),
    )
    decided_q = base.filter(decided_at__gte=lower, decided_at__lt=upper)
    decided = await _grouped(
        decided_q, n=Count("id"), days=Sum("working_days_used"), timed=Count("working_days_used")
    )
    on_time = await _grouped(decided_q.filter(on_time=True), n=Count("id"))
    open_counts = {
        level: await _grouped(
            base.filter(status__in=_OPEN).filter(warning_filter(level, today)), n=Count("id")
        )
        for level in ("none", "yellow", "red")
    }
    uncertain = await _grouped(base.filter(status__in=_OPEN, calendar_uncertain=True), n=Count("id"))

    departments = scope_to_department(Department.all(), principal, "code")
    if query.department:
        departments = departments.filter(code=query.department)
    names = {d.code: d.name for d in await departments}
    codes = set(names) | set(submitted) | set(decided)
    for level_counts in open_counts.values():
        codes |= set(level_counts)

    def n(table: dict, code: str, key: str = "n") -> int:
        return int((table.get(code) or {}).get(key) or 0)

    raws = {
        code: {
            "submitted": n(submitted, code),
            "decided": n(decided, code),
            "on_time": n(on_time, code),
            "days": n(decided, code, "days"),
            "timed": n(decided, code, "timed"),
            "online": n(online, code),
            "zero_trip": n(zero_trip, code),
        }
        for code in sorted(codes)
    }
    opens = {
        code: {level: n(open_counts[level], code) for level in open_counts}
        | {"calendar_uncertain": n(uncertain, code)}
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
        on_time_rate=_share(raw.get("on_time", 0), raw.get("decided", 0)),
        average_working_days=round(raw["days"] / raw["timed"], 2) if raw.get("timed") else None,
        online_share=_share(raw.get("online", 0), raw.get("submitted", 0)),
        zero_trip_share=_share(raw.get("zero_trip", 0), raw.get("submitted", 0)),
        open_by_warning=OpenByWarning(**open_by),
    )
