"""延时服务's day report: per window group, who was still waiting at closing and how long the hall
served past it (the supervisor's and the statistics' view of 延时服务)."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments import desks
from citizen_api.appointments.closing import closing
from citizen_api.appointments.repository import late_services as repo
from citizen_api.appointments.schemas_late import LateGroupReport, LateReportOut, LateWindowRow
from citizen_api.appointments.transitions import SKIPPED, WAITING
from citizen_api.security.principal import Principal


async def report(principal: Principal, day: date | None, settings) -> LateReportOut:
    day = day or clock.today()
    groups = await repo.active_groups(await desks.scope_group_ids(principal))
    ids = [g.id for g in groups]
    tickets = await repo.day_tickets(ids, day)
    late_rows = await repo.of_groups(ids, day)
    out: list[LateGroupReport] = []
    for group in groups:
        closes_at, _ = await closing(group.id, day, settings)
        mine = [t for t in tickets if t[0] == group.id]
        called = [t[1] for t in mine if t[1] is not None]
        last = max(called) if called else None
        past = int((last - closes_at).total_seconds() // 60) if last and last > closes_at else 0
        out.append(
            LateGroupReport(
                group=group.code,
                group_name=group.name,
                closes_at=closes_at,
                issued=len(mine),
                # no number is given after closing, so every ticket not called before it was waiting then
                waiting_at_close=sum(1 for _, at, _ in mine if at is None or at >= closes_at),
                served_after_close=sum(
                    1 for _, at, st in mine if at is not None and at >= closes_at and st != SKIPPED
                ),
                still_waiting=sum(1 for _, _, st in mine if st == WAITING),
                last_called_at=last,
                minutes_past_close=past,
                windows=[
                    LateWindowRow(
                        window=row.window.number,
                        started_at=row.started_at,
                        ended_at=row.ended_at,
                        automatic=row.automatic,
                    )
                    for row in late_rows
                    if row.window.group_id == group.id
                ],
            )
        )
    return LateReportOut(date=day, groups=out)
