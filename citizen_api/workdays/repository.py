"""Calendar queries. Every write also changes the state token, so other processes reload (the
writing process expires its own cache check: ``workdays.service``)."""

from __future__ import annotations

import secrets
from datetime import date

from citizen_api import clock
from citizen_api.workdays.models import SOURCE_ADMIN, SOURCE_IMPORT, CalendarDay, CalendarState, CalendarYear

STATE_NAME = "calendar"


async def current_token() -> str | None:
    state = await CalendarState.get_or_none(name=STATE_NAME)
    return state.token if state else None


async def all_overrides() -> list[tuple[date, str, str, str]]:
    """(day, source, kind, name) of every override row, both layers."""
    return await CalendarDay.all().values_list("day", "source", "kind", "name")


async def imported_year_numbers() -> list[int]:
    return await CalendarYear.all().values_list("year", flat=True)


async def bump_token() -> None:
    # an upsert: two first writers at once must not collide on the single row
    await CalendarState.bulk_create(
        [CalendarState(name=STATE_NAME, token=secrets.token_hex(16), updated_at=clock.now())],
        on_conflict=["name"],
        update_fields=["token", "updated_at"],
    )


async def put_admin(day: date, kind: str, note: str, user_id: int | None) -> None:
    row = CalendarDay(
        day=day, year=day.year, source=SOURCE_ADMIN, kind=kind, name=note, updated_by=user_id,
        updated_at=clock.now(),
    )  # fmt: skip
    await CalendarDay.bulk_create(
        [row], on_conflict=["day", "source"], update_fields=["kind", "name", "updated_by", "updated_at"]
    )
    await bump_token()


async def admin_row(day: date) -> CalendarDay | None:
    return await CalendarDay.get_or_none(day=day, source=SOURCE_ADMIN)


async def delete_admin(day: date) -> int:
    deleted = await CalendarDay.filter(day=day, source=SOURCE_ADMIN).delete()
    if deleted:
        await bump_token()
    return deleted


async def admin_rows_in_year(year: int) -> list[CalendarDay]:
    return await CalendarDay.filter(year=year, source=SOURCE_ADMIN).order_by("day")


async def replace_import(year: int, holidays: dict[date, str], workdays: list[date]) -> None:
    """The year's import layer becomes exactly this schedule; admin rows are another layer, kept."""
    await CalendarDay.filter(year=year, source=SOURCE_IMPORT).delete()
    now = clock.now()
    rows = [
        CalendarDay(day=d, year=year, source=SOURCE_IMPORT, kind="holiday", name=name, updated_at=now)
        for d, name in sorted(holidays.items())
    ] + [
        CalendarDay(day=d, year=year, source=SOURCE_IMPORT, kind="workday", name="调休上班", updated_at=now)
        for d in sorted(workdays)
    ]
    await CalendarDay.bulk_create(rows)
    await CalendarYear.bulk_create(
        [CalendarYear(year=year, holiday_dates=len(holidays), workday_dates=len(workdays), imported_at=now)],
        on_conflict=["year"],
        update_fields=["holiday_dates", "workday_dates", "imported_at"],
    )
    await bump_token()
