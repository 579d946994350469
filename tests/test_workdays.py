"""Working-day arithmetic: 国庆 2026, make-up Saturdays, an unknown year, an imported schedule.

The unknown year is ``UNKNOWN`` (tests/calendar_years.py): a year the installed chinese-calendar does not
know, on 2027's weekdays, after ``KNOWN``, made known by an import; a release that learns 2027 breaks nothing.
"""

from __future__ import annotations

import json
from datetime import date

from citizen_api.workdays import service
from citizen_api.workdays.schedule import parse
from tests.calendar_years import UNKNOWN, import_known_year, known, library_knows, schedule, unknown

# A made-up 2027 schedule in the contract's format, for the checks that never reach the calendar.
SCHEDULE_2027 = schedule(2027)


async def test_national_day_2026_is_a_holiday_period(client):
    for day in range(1, 8):
        info = await service.day_info(date(2026, 10, day))
        assert info.kind == "holiday", info
        assert info.name == "国庆节"
        assert info.known and not info.is_working_day
    before = await service.day_info(date(2026, 9, 30))
    after = await service.day_info(date(2026, 10, 8))
    assert before.kind == after.kind == "workday"
    assert before.is_working_day and after.is_working_day


async def test_2026_make_up_workdays_are_working_days(client):
    for day in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        info = await service.day_info(date.fromisoformat(day))
        assert info.kind == "makeup_workday", info
        assert info.is_working_day and info.known
    sunday = await service.day_info(date(2026, 10, 11))
    assert sunday.kind == "weekend" and not sunday.is_working_day


async def test_deadline_across_national_day_2026_counts_the_make_up_saturday(client):
    # accepted Tue 29 Sep: 30 Sep (1), 1–7 Oct off, 8 Oct (2), 9 Oct (3), Sat 10 Oct (4), 12 Oct (5)
    deadline = await service.add_working_days(date(2026, 9, 29), 5)
    assert deadline == service.Deadline(date(2026, 10, 12), uncertain=False)
    assert await service.working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == (5, False)
    assert await service.working_days_between(date(2026, 10, 12), date(2026, 9, 29)) == (0, False)
    # counting starts the working day after acceptance, even when accepted on a holiday
    assert (await service.add_working_days(date(2026, 10, 3), 1)).date == date(2026, 10, 8)
    assert (await service.add_working_days(date(2026, 10, 3), 0)).date == date(2026, 10, 3)
    # 国庆 2026 in a 20-working-day promise (行政许可法 42条): 8 Oct … 3 Nov
    assert (await service.add_working_days(date(2026, 9, 30), 20)).date == date(2026, 11, 3)


async def test_deadline_into_an_unknown_year_is_flagged_uncertain(client):
    assert not library_knows(UNKNOWN)  # and nothing was imported: the app cannot know it either
    info = await service.day_info(unknown(1, 1))
    assert info.known is False
    assert info.kind == "workday"  # a Friday: weekends only, since the year's 元旦 is not known
    assert (await service.day_info(unknown(1, 2))).kind == "weekend"

    inside = await service.add_working_days(date(2026, 12, 1), 10)
    assert inside == service.Deadline(date(2026, 12, 15), uncertain=False)
    await import_known_year()
    assert await service.add_working_days(known(12, 1), 10) == service.Deadline(known(12, 15), False)
    crossing = await service.add_working_days(known(12, 28), 10)
    assert crossing == service.Deadline(unknown(1, 11), uncertain=True)
    assert await service.working_days_between(known(12, 28), unknown(1, 11)) == (10, True)


async def test_an_imported_schedule_makes_the_year_known(client):
    await import_known_year()
    result = await service.import_schedule(parse(json.dumps(schedule(UNKNOWN), ensure_ascii=False)))
    assert result.beyond_builtin and result.holiday_dates == 11 and result.workday_dates == 2

    new_year = await service.day_info(unknown(1, 1))
    assert (new_year.kind, new_year.name, new_year.known, new_year.override) == (
        "holiday",
        "元旦",
        True,
        "import",
    )
    assert (await service.day_info(unknown(2, 20))).kind == "makeup_workday"
    plain = await service.day_info(unknown(3, 1))
    assert (plain.kind, plain.known) == ("workday", True)

    # 29–31 Dec (3), 1–3 Jan off, 4–8 Jan (8), 11 Jan (9), 12 Jan (10): known now, one day later
    crossing = await service.add_working_days(known(12, 28), 10)
    assert crossing == service.Deadline(unknown(1, 12), uncertain=False)
    # 春节: Fri 5 Feb (1), 6–13 Feb off, Sun 14 Feb make-up (2), 15 Feb (3)
    assert (await service.add_working_days(unknown(2, 4), 3)).date == unknown(2, 15)
    # the year after is still unknown
    assert (await service.add_working_days(unknown(12, 28), 5)).uncertain
    assert not (await service.day_info(date(UNKNOWN + 1, 1, 3))).known
