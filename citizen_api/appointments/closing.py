"""When the hall closes for a window group (延时服务, ``appointments.late_service``): the end of the
group's last opening period of the day, else ``hall_closes_at``; no new number after it."""

from __future__ import annotations

from datetime import date, datetime, time

from citizen_api import clock
from citizen_api.appointments.calendar import day_mode
from citizen_api.appointments.models import WindowGroup
from citizen_api.appointments.repository import halls
from citizen_api.appointments.schedule import template_days
from citizen_api.errors import ApiError


async def closing(group_id: int, day: date, settings) -> tuple[datetime, str]:
    """When the group's hall closes on ``day`` (aware), and whether its hours or the default say so."""
    mode = await day_mode(day)
    if mode.is_open:
        names = template_days(day, mode.kind)
        available = {t.day: t.periods for t in await halls.templates_for([group_id], names)}
        periods = next((available[name] for name in names if available.get(name)), [])
        ends = [str(period["end"]) for period in periods]
        if ends:
            return datetime.combine(day, time.fromisoformat(max(ends)), clock.CST), "hours"
    return datetime.combine(day, time.fromisoformat(settings.hall_closes_at), clock.CST), "default"


async def refuse_after_close(group: WindowGroup, settings) -> None:
    """No new queue number once the hall has closed (the numbers given are still served)."""
    closes_at, _ = await closing(group.id, clock.today(), settings)
    if clock.now() >= closes_at:
        hhmm = closes_at.astimezone(clock.CST).strftime("%H:%M")
        raise ApiError(
            409,
            "HALL_CLOSED",
            f"已过今天的下班时间（{hhmm}），停止取号；已取号的群众将继续办理",
            {"closes_at": closes_at.isoformat()},
        )
