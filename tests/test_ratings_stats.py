"""GB/T 39735 statistics: the arithmetic against hand-computed cases, then the figures the API publishes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.ratings.jobs import run_rating_jobs
from citizen_api.ratings.models import Rating
from citizen_api.ratings.stats import Tally, rates
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case
from tests.job_runs import run_job


def test_rates_hand_computed():
    # ratings 5 5 4 3 2 1 by citizens plus one automatic 3; one of the two 差评 rectified;
    # 8 cases decided, 6 of them rated by the citizen (one got the automatic 3, one is not rated yet)
    tally = Tally(
        by_level=Counter({5: 2, 4: 1, 3: 2, 2: 1, 1: 1}),
        active_by_level=Counter({5: 2, 4: 1, 3: 1, 2: 1, 1: 1}),
        bad_rectified=1,
        done_cases=8,
        cases_rated_by_citizen=6,
    )
    got = rates(tally)
    assert (got["rated"], got["good"], got["bad"]) == (7, 3, 2)
    assert got["good_rate"] == 42.86  # 3 / 7
    assert got["bad_rate"] == 28.57  # 2 / 7
    assert got["rectify_rate"] == 50.0  # 1 / 2
    assert got["unrated_cases"] == 2 and got["unrated_rate"] == 25.0  # 2 / 8
    assert (got["active_rated"], got["active_good"]) == (6, 3)
    assert got["active_good_rate"] == 50.0  # 3 / 6


def test_rates_without_data_are_none_not_zero():
    got = rates(Tally())
    assert got["rated"] == 0
    assert [
        got[k] for k in ("good_rate", "bad_rate", "rectify_rate", "unrated_rate", "active_good_rate")
    ] == [
        None,
        None,
        None,
        None,
        None,
    ]


def test_rates_all_automatic():
    got = rates(Tally(by_level=Counter({3: 4}), done_cases=4))
    assert got["good_rate"] == 0.0 and got["bad_rate"] == 0.0
    assert got["rectify_rate"] is None  # no 差评 to rectify
    assert got["unrated_rate"] == 100.0
    assert got["active_good_rate"] is None


def test_rates_rounding():
    got = rates(
        Tally(
            by_level=Counter({5: 1, 1: 2}),
            active_by_level=Counter({5: 1, 1: 2}),
            bad_rectified=2,
            done_cases=3,
            cases_rated_by_citizen=3,
        )
    )
    assert (got["good_rate"], got["bad_rate"], got["rectify_rate"], got["unrated_rate"]) == (
        33.33,
        66.67,
        100.0,
        0.0,
    )


async def test_published_figures(api, client, settings):
    """Department GA in March 2026, built through the API and the jobs, checked against hand counts."""
    clock.set_now(datetime(2026, 3, 10, 10, 0, tzinfo=clock.CST))
    decided = clock.now() - timedelta(days=1)
    levels = [5, 4, 4, 2, 1]  # citizens' ratings
    people = [await citizen(api, f"p{i}") for i in range(len(levels) + 2)]
    for (user_id, headers), level in zip(people, levels, strict=False):
        case = await make_case(user_id, decided_at=decided)
        tags = ["态度差"] if level <= 2 else []
        resp = await client.post(
            f"/api/v1/applications/{case.id}/rating", json={"level": level, "tags": tags}, headers=headers
        )
        assert resp.status_code == 201
    for user_id, _headers in people[len(levels) :]:
        await make_case(user_id, decided_at=decided)  # two cases nobody rates
    await make_case(people[0][0], status="accepted")  # not decided: not counted
    await make_case(people[0][0], department="MZ", decided_at=decided)  # another department

    # one 差评 rectified
    await create_staff("win1", "window", "GA")
    win = await api.staff_headers("win1")
    bad = await Rating.filter(level=2).first()
    for step in ("return-visit", "rectify"):  # no rectification before the return visit
        resp = await client.post(f"/api/v1/staff/ratings/{bad.id}/{step}", json={"note": "改进"}, headers=win)
        assert resp.status_code == 200, resp.text

    # the window passes: the two unrated GA cases (and the MZ one) become automatic 基本满意
    assert await run_job(run_rating_jobs, settings, clock.now() + timedelta(days=7)) >= 3

    resp = await client.get("/api/v1/ratings/stats?department=GA&from=2026-03-01&to=2026-03-31")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    ga = body["overall"]
    # rated 7 = 5 by citizens + 2 automatic; good 3 (5, 4, 4); bad 2 (2, 1), 1 rectified;
    # decided 7, rated by citizens 5 → 2 unrated
    assert (ga["rated"], ga["good"], ga["bad"], ga["bad_rectified"]) == (7, 3, 2, 1)
    assert ga["good_rate"] == 42.86 and ga["bad_rate"] == 28.57 and ga["rectify_rate"] == 50.0
    assert (ga["done_cases"], ga["unrated_cases"], ga["unrated_rate"]) == (7, 2, 28.57)
    assert (ga["active_rated"], ga["active_good"], ga["active_good_rate"]) == (5, 3, 60.0)
    assert [d["department"] for d in body["departments"]] == ["GA"]

    everyone = (await client.get("/api/v1/ratings/stats?from=2026-03-01&to=2026-03-31")).json()
    assert [d["department"] for d in everyone["departments"]] == ["GA", "MZ"]
    assert everyone["overall"]["rated"] == 8 and everyone["overall"]["done_cases"] == 8
    april = (await client.get("/api/v1/ratings/stats?department=GA&from=2026-04-01&to=2026-04-30")).json()
    assert april["overall"]["rated"] == 0 and april["overall"]["good_rate"] is None

    # staff: a window clerk sees their own department only
    mine = await client.get("/api/v1/staff/ratings/stats?from=2026-03-01&to=2026-03-31", headers=win)
    assert mine.json()["overall"]["rated"] == 7
    assert_error(await client.get("/api/v1/staff/ratings/stats?department=MZ", headers=win), 403, "FORBIDDEN")


async def test_stats_query_is_validated(client):
    for query in (
        "from=2026-03-31&to=2026-03-01",
        "from=2024-01-01&to=2026-01-01",
        "from=notadate",
        "department=" + "x" * 33,
    ):
        assert_error(await client.get(f"/api/v1/ratings/stats?{query}"), 422, "VALIDATION_ERROR")
