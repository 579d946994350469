"""Working-day arithmetic: 国庆 2026, make-up Saturdays, an unknown year, an imported 2027 schedule."""

from __future__ import annotations

from datetime import date

from citizen_api.workdays import service
from citizen_api.workdays.schedule import parse

# A made-up 2027 schedule in the contract's format (the real one is published each November).
SCHEDULE_2027 = {
    "year": 2027,
    "holidays": [
        {"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"name": "春节", "dates": [f"2027-02-{d:02d}" for d in range(6, 14)]},
    ],
    "workdays": ["2027-02-14", "2027-02-20"],
}


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
    info = await service.day_info(date(2027, 1, 1))
    assert info.known is False
    assert info.kind == "workday"  # a Friday: weekends only, since 2027's 元旦 is not known
    assert (await service.day_info(date(2027, 1, 2))).kind == "weekend"

    inside = await service.add_working_days(date(2026, 12, 1), 10)
    assert inside == service.Deadline(date(2026, 12, 15), uncertain=False)
    crossing = await service.add_working_days(date(2026, 12, 28), 10)
    assert crossing == service.Deadline(date(2027, 1, 11), uncertain=True)
    assert await service.working_days_between(date(2026, 12, 28), date(2027, 1, 11)) == (10, True)


async def test_an_imported_2027_schedule_makes_the_year_known(client):
    result = await service.import_schedule(parse(_json(SCHEDULE_2027)))
    assert result.beyond_builtin and result.holiday_dates == 11 and result.workday_dates == 2

    new_year = await service.day_info(date(2027, 1, 1))
    assert (new_year.kind, new_year.name, new_year.known, new_year.override) == (
        "holiday",
        "元旦",
        True,
        "import",
    )
    assert (await service.day_info(date(2027, 2, 20))).kind == "makeup_workday"
    plain = await service.day_info(date(2027, 3, 1))
    assert (plain.kind, plain.known) == ("workday", True)

    # 29–31 Dec (3), 1–3 Jan off, 4–8 Jan (8), 11 Jan (9), 12 Jan (10): known now, one day later
    crossing = await service.add_working_days(date(2026, 12, 28), 10)
    assert crossing == service.Deadline(date(2027, 1, 12), uncertain=False)
    # 春节: Fri 5 Feb (1), 6–13 Feb off, Sun 14 Feb make-up (2), 15 Feb (3)
    assert (await service.add_working_days(date(2027, 2, 4), 3)).date == date(2027, 2, 15)
    # 2028 is still unknown
    assert (await service.add_working_days(date(2027, 12, 28), 5)).uncertain


def _json(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)
