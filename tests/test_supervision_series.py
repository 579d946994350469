"""电子监察 series and dashboard over HTTP: every period present (Mondays, the 1st), rates in percents,
each week's figure the same as GET /staff/stats and /staff/ratings/stats for that week, red and yellow
rebuilt at each period's end, the scope of each role."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from citizen_api import clock
from citizen_api.cases.models import Application, SupervisionWarning
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=clock.CST)
WEEKS = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]  # Mondays


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time(), clock.CST) + timedelta(hours=hour)


async def _case(applicant: int, department: str, filed: date, decided: date | None, **columns):
    case = await make_case(
        applicant,
        department=department,
        status="approved" if decided else "accepted",
        decided_at=_at(decided) if decided else None,
    )
    await Application.filter(id=case.id).update(submitted_at=_at(filed).astimezone(UTC), **columns)
    return case


async def seed(api, client):
    """GA: week 1 three cases (2 online, 1 zero-trip), two decided on time in week 1 and one late in
    week 2; week 3 empty; week 4 one window case. MZ: one case in week 1. Ratings 5, 4, 1 in GA."""
    clock.set_now(NOW)
    people = [await citizen(api, f"p{i}") for i in range(4)]
    (alice, a_headers), (bob, b_headers), (carol, c_headers), (dan, _) = people
    ga1 = await _case(alice, "GA", WEEKS[0], date(2026, 3, 4), channel="online", item_trips=0,
                      on_time=True, working_days_used=2)  # fmt: skip
    ga2 = await _case(bob, "GA", WEEKS[0] + timedelta(days=1), date(2026, 3, 6), channel="online",
                      on_time=True, working_days_used=4)  # fmt: skip
    ga3 = await _case(carol, "GA", WEEKS[0] + timedelta(days=6), date(2026, 3, 12), channel="window",
                      on_time=False, working_days_used=9, delivery_channel="window")  # fmt: skip
    await _case(dan, "GA", WEEKS[3] + timedelta(days=2), None, channel="window")
    await _case(dan, "MZ", WEEKS[0], date(2026, 3, 3), channel="online", on_time=False, working_days_used=1)
    # a late case: accepted 03-02, yellow from 03-05, deadline 03-10, decided 03-25 → yellow at the end of
    # week 1, red at the end of weeks 2 and 3, done in week 4
    late = await _case(dan, "GA", WEEKS[0], date(2026, 3, 25), accepted_on=WEEKS[0], channel="window",
                       yellow_on=date(2026, 3, 5), deadline=date(2026, 3, 10), on_time=False)  # fmt: skip
    for level, day in (("yellow", date(2026, 3, 5)), ("red", date(2026, 3, 11))):
        row = await SupervisionWarning.create(application_id=late.id, level=level, department_code="GA")
        await SupervisionWarning.filter(id=row.id).update(created_at=_at(day).astimezone(UTC))
    for case, headers, level in ((ga1, a_headers, 5), (ga2, b_headers, 4), (ga3, c_headers, 1)):
        clock.set_now(_at(date(2026, 3, 13)) if level == 1 else _at(date(2026, 3, 7)))  # rating_window_days
        body = {"level": level, "tags": ["态度差"] if level <= 2 else []}
        resp = await client.post(f"/api/v1/applications/{case.id}/rating", json=body, headers=headers)
        assert resp.status_code == 201, resp.text
    clock.set_now(NOW)
    await create_staff("boss", "supervisor", None)
    await create_staff("win", "window", "GA")
    return await api.staff_headers("boss"), await api.staff_headers("win")


async def _series(client, headers, metric, interval="week", **params):
    query = {"metric": metric, "interval": interval, "from": "2026-03-02", "to": "2026-03-29", **params}
    resp = await client.get("/api/v1/staff/stats/series", params=query, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_weekly_series_equal_the_stats_of_each_week(database_url, api, client):
    boss, _ = await seed(api, client)
    got = {
        metric: await _series(client, boss, metric, department="GA")
        for metric in (
            "on_time_rate",
            "online_rate",
            "zero_trip_rate",
            "avg_working_days",
            "finished",
            "good_rate",
            "satisfaction",
        )
    }
    assert [p["period_start"] for p in got["finished"]] == [d.isoformat() for d in WEEKS]
    for index, monday in enumerate(WEEKS):
        week = {
            "from": monday.isoformat(),
            "to": (monday + timedelta(days=6)).isoformat(),
            "department": "GA",
        }
        stats = (await client.get("/api/v1/staff/stats", params=week, headers=boss)).json()["total"]
        rates = (await client.get("/api/v1/staff/ratings/stats", params=week, headers=boss)).json()["overall"]
        assert got["on_time_rate"][index]["value"] == stats["on_time_rate"]
        assert got["online_rate"][index]["value"] == stats["online_share"]
        assert got["zero_trip_rate"][index]["value"] == stats["zero_trip_share"]
        assert got["avg_working_days"][index]["value"] == stats["average_working_days"]
        assert got["finished"][index]["value"] == stats["decided"]
        assert got["good_rate"][index]["value"] == rates["good_rate"]
        assert got["satisfaction"][index]["value"] == rates["satisfaction"]
    # by hand: week 1 GA decided 2 of 2 on time, filed 4 (2 online, 1 zero-trip: ga1), ratings 5 and 4
    assert [p["value"] for p in got["on_time_rate"]] == [100.0, 0.0, None, 0.0]
    assert [p["value"] for p in got["online_rate"]] == [50.0, None, None, 0.0]
    assert [p["value"] for p in got["zero_trip_rate"]] == [25.0, None, None, 0.0]
    assert [p["value"] for p in got["finished"]] == [2, 1, 0, 1]  # an empty week counts 0
    assert [p["value"] for p in got["good_rate"]] == [100.0, 0.0, None, None]
    assert [p["value"] for p in got["satisfaction"]] == [4.5, 1.0, None, None]
    assert got["avg_working_days"][0]["value"] == 3.0


async def test_warning_series_new_cards_and_what_showed_at_each_week_end(database_url, api, client):
    boss, _ = await seed(api, client)
    assert [p["value"] for p in await _series(client, boss, "warnings_yellow")] == [1, 0, 0, 0]
    assert [p["value"] for p in await _series(client, boss, "warnings_red")] == [0, 1, 0, 0]
    assert [p["value"] for p in await _series(client, boss, "open_yellow")] == [1, 0, 0, 0]
    assert [p["value"] for p in await _series(client, boss, "open_red")] == [0, 1, 1, 0]


async def test_monthly_periods_start_on_the_first_and_empty_months_are_present(database_url, api, client):
    boss, _ = await seed(api, client)
    got = await _series(client, boss, "finished", "month", **{"from": "2026-01-15", "to": "2026-03-31"})
    assert got == [
        {"period_start": "2026-01-01", "value": 0},
        {"period_start": "2026-02-01", "value": 0},
        {"period_start": "2026-03-01", "value": 5},
    ]
    rates = await _series(client, boss, "on_time_rate", "month", **{"from": "2026-02-01", "to": "2026-03-31"})
    assert rates == [
        {"period_start": "2026-02-01", "value": None},
        {"period_start": "2026-03-01", "value": 40.0},
    ]


async def test_scope_and_bad_input(database_url, api, client):
    boss, win = await seed(api, client)
    mine = await _series(client, win, "finished")
    everyone = await _series(client, boss, "finished")
    assert sum(p["value"] for p in mine) == 4 and sum(p["value"] for p in everyone) == 5  # MZ not the clerk's
    resp = await client.get(
        "/api/v1/staff/stats/series", params={"metric": "finished", "department": "MZ"}, headers=win
    )
    assert_error(resp, 403, "FORBIDDEN")
    for params in ({"metric": "nonsense"}, {"metric": "finished", "interval": "day"},
                   {"metric": "finished", "from": "2026-03-10", "to": "2026-03-01"}):  # fmt: skip
        resp = await client.get("/api/v1/staff/stats/series", params=params, headers=boss)
        assert_error(resp, 422, "VALIDATION_ERROR")
    assert_error(await client.get("/api/v1/staff/stats/dashboard", headers=win), 403, "FORBIDDEN")


async def test_the_dashboard_is_the_stats_and_the_series_in_one_answer(database_url, api, client):
    boss, _ = await seed(api, client)
    period = {"from": "2026-03-02", "to": "2026-03-29"}
    resp = await client.get("/api/v1/staff/stats/dashboard", params=period, headers=boss)
    assert resp.status_code == 200, resp.text
    board = resp.json()
    assert board["period"] == period and board["interval"] == "week"
    stats = (await client.get("/api/v1/staff/stats", params=period, headers=boss)).json()
    by_code = {row["department_code"]: row for row in stats["departments"]}
    for row in board["departments"]:
        same = by_code[row["code"]]
        assert (row["on_time_rate"], row["online_rate"], row["zero_trip_rate"], row["avg_working_days"]) == (
            same["on_time_rate"], same["online_share"], same["zero_trip_share"], same["average_working_days"],
        )  # fmt: skip
        opens = same["open_by_warning"]
        assert (row["open_yellow"], row["open_red"]) == (opens["yellow"], opens["red"])
        assert row["open"] == opens["none"] + opens["yellow"] + opens["red"]
    ga = next(row for row in board["departments"] if row["code"] == "GA")
    assert ga["ratings"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 1} and ga["good_rate"] == 66.67
    assert board["totals"]["on_time_rate"] == stats["total"]["on_time_rate"] == 40.0
    assert set(board["series"]) == {
        "on_time_rate", "good_rate", "satisfaction", "online_rate", "zero_trip_rate", "avg_working_days",
        "finished", "open_yellow", "open_red", "warnings_yellow", "warnings_red",
    }  # fmt: skip
    for metric, points in board["series"].items():
        assert points == await _series(client, boss, metric), metric

    default = (await client.get("/api/v1/staff/stats/dashboard", headers=boss)).json()
    assert default["period"] == {"from": "2025-05-01", "to": "2026-04-01"}  # the last 12 months
    assert default["series"]["finished"][0]["period_start"] == "2025-04-28"  # the Monday of 05-01
