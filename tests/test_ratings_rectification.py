"""差评整改: working-day deadlines, return visit, rectification, the citizen's verdict; appeals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from citizen_api import clock
from citizen_api.ratings.jobs import run_rating_jobs
from citizen_api.ratings.models import Rating
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case, outbox_rows
from tests.job_runs import run_job

# Thursday before the 2026 May Day holiday (May 1–5 off, Saturday May 9 a make-up workday)
RATED_AT = datetime(2026, 4, 30, 10, 0, tzinfo=clock.CST)


async def _bad_rating(api, client):
    clock.set_now(RATED_AT)
    alice, headers = await citizen(api, "alice")
    clerk = await create_staff("win1", "window", "GA")
    await create_staff("other", "window", "MZ")
    await create_staff("boss", "supervisor", None)
    case = await make_case(alice, department="GA")
    resp = await client.post(
        f"/api/v1/applications/{case.id}/rating",
        json={"level": 2, "tags": ["态度差", "多次跑动"], "comment": "跑了三次"},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json(), case, clerk, headers


async def test_bad_rating_opens_a_rectification_with_working_day_deadlines(api, client, settings):
    rating, case, clerk, _headers = await _bad_rating(api, client)
    rect = rating["rectification"]
    assert rect["status"] == "open"
    # 1 working day after Thu 04-30, skipping the holiday May 1–5 → Wed 05-06
    assert rect["visit_due"] == "2026-05-06"
    # 15 working days: May 6 7 8 9(Sat, make-up) 11 12 13 14 15 18 19 20 21 22 25 → Mon 05-25
    assert rect["rectify_due"] == "2026-05-25"
    told = await outbox_rows("rating.bad", user_id=clerk.id, audience="staff")
    assert len(told) == 1 and told[0].payload["number"] == case.number


async def test_the_rectification_path(api, client, settings):
    rating, _case, _clerk, headers = await _bad_rating(api, client)
    rid = rating["id"]
    win = await api.staff_headers("win1")
    other = await api.staff_headers("other")
    boss = await api.staff_headers("boss")

    listed = (await client.get("/api/v1/staff/ratings?bad=true", headers=win)).json()
    assert listed["total"] == 1 and listed["items"][0]["rectification"]["status"] == "open"
    assert (await client.get("/api/v1/staff/ratings?bad=true", headers=other)).json()["total"] == 0
    assert (await client.get("/api/v1/staff/ratings?bad=false", headers=win)).json()["total"] == 0
    assert (await client.get("/api/v1/staff/ratings?bad=true", headers=boss)).json()["total"] == 1

    step = {"note": "已电话回访，向群众致歉并说明原因"}
    assert_error(
        await client.post(f"/api/v1/staff/ratings/{rid}/return-visit", json=step, headers=other),
        404,
        "NOT_FOUND",
    )
    verdict_url = f"/api/v1/ratings/{rid}/rectification/verdict"
    assert_error(
        await client.post(verdict_url, json={"verdict": "satisfied"}, headers=headers), 409, "NOT_RECTIFIED"
    )

    resp = await client.post(f"/api/v1/staff/ratings/{rid}/return-visit", json=step, headers=win)
    assert resp.status_code == 200 and resp.json()["status"] == "visited"
    assert_error(
        await client.post(f"/api/v1/staff/ratings/{rid}/return-visit", json=step, headers=win),
        409,
        "INVALID_TRANSITION",
    )
    resp = await client.post(
        f"/api/v1/staff/ratings/{rid}/rectify", json={"note": "窗口增设材料预审"}, headers=win
    )
    assert resp.status_code == 200 and resp.json()["status"] == "rectified"
    told = await outbox_rows("rating.rectified", audience="citizen")
    assert len(told) == 1 and told[0].payload["note"] == "窗口增设材料预审"

    assert_error(
        await client.post(verdict_url, json={"verdict": "great"}, headers=headers), 422, "VALIDATION_ERROR"
    )
    resp = await client.post(verdict_url, json={"verdict": "basically_satisfied"}, headers=headers)
    assert resp.status_code == 200
    assert (resp.json()["status"], resp.json()["verdict_text"]) == ("closed", "基本满意")
    assert_error(
        await client.post(verdict_url, json={"verdict": "satisfied"}, headers=headers), 409, "ALREADY_RATED"
    )

    detail = (await client.get(f"/api/v1/staff/ratings/{rid}", headers=win)).json()
    assert [n["to_status"] for n in detail["notes"]] == ["open", "visited", "rectified", "closed"]


async def test_a_good_rating_has_nothing_to_rectify(api, client):
    alice, headers = await citizen(api, "alice")
    await create_staff("win1", "window", "GA")
    case = await make_case(alice)
    rid = (
        await client.post(f"/api/v1/applications/{case.id}/rating", json={"level": 5}, headers=headers)
    ).json()["id"]
    resp = await client.post(
        f"/api/v1/staff/ratings/{rid}/rectify", json={"note": "x"}, headers=await api.staff_headers("win1")
    )
    assert_error(resp, 409, "NOT_BAD_RATING")


async def test_deadline_warnings_and_follow_ups(api, client, settings):
    rating, _case, clerk, _headers = await _bad_rating(api, client)
    boss = await create_staff("boss2", "supervisor", None)
    at = lambda d: datetime.combine(d, datetime.min.time(), clock.CST) + timedelta(hours=9)  # noqa: E731

    await run_job(run_rating_jobs, settings, at(date(2026, 5, 5)))
    assert await outbox_rows("rating.visit_due") == []
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 6)))  # the return visit is due today
    assert len(await outbox_rows("rating.visit_due", user_id=clerk.id)) == 1
    assert await outbox_rows("rating.visit_overdue") == []
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 7)))  # overdue: the supervisors hear of it
    assert len(await outbox_rows("rating.visit_due", user_id=clerk.id)) == 1
    assert {r.user_id for r in await outbox_rows("rating.visit_overdue")} >= {boss.id}

    clock.set_now(at(date(2026, 5, 8)))
    win = await api.staff_headers("win1")
    resp = await client.post(
        f"/api/v1/staff/ratings/{rating['id']}/rectify", json={"note": "已整改"}, headers=win
    )
    assert_error(resp, 409, "RETURN_VISIT_REQUIRED")  # the national rule: the return visit first
    resp = await client.post(
        f"/api/v1/staff/ratings/{rating['id']}/return-visit", json={"note": "电话回访"}, headers=win
    )
    assert resp.status_code == 200
    resp = await client.post(
        f"/api/v1/staff/ratings/{rating['id']}/rectify", json={"note": "已整改"}, headers=win
    )
    assert resp.status_code == 200
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 10)))
    assert await outbox_rows("rating.follow_up") == []
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 12)))  # 3 days on, no verdict: ask once
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 13)))
    assert len(await outbox_rows("rating.follow_up", audience="citizen")) == 1
    await run_job(run_rating_jobs, settings, at(date(2026, 5, 21)))  # and the window after that: closed
    rect = await (await Rating.get(id=rating["id"])).rectification
    assert rect.status == "closed" and rect.verdict is None


async def test_appeal_excludes_without_deleting(api, client):
    rating, _case, _clerk, _headers = await _bad_rating(api, client)
    rid = rating["id"]
    win = await api.staff_headers("win1")
    boss = await api.staff_headers("boss")
    appeal_url = f"/api/v1/staff/ratings/{rid}/appeal"

    assert_error(
        await client.post(
            appeal_url,
            json={"reason": "该群众未到窗口办理，系误评"},
            headers=await api.staff_headers("other"),
        ),
        404,
        "NOT_FOUND",
    )
    resp = await client.post(appeal_url, json={"reason": "该群众未到窗口办理，系误评"}, headers=win)
    assert resp.status_code == 201, resp.text
    appeal_id = resp.json()["id"]
    assert_error(
        await client.post(appeal_url, json={"reason": "再次申诉一下"}, headers=win), 409, "APPEAL_PENDING"
    )
    assert len(await outbox_rows("rating.appeal", audience="staff")) == 1

    decide = f"/api/v1/staff/rating-appeals/{appeal_id}/decide"
    assert_error(
        await client.post(decide, json={"uphold": True, "reason": "自己批"}, headers=win), 403, "FORBIDDEN"
    )
    pending = (await client.get("/api/v1/staff/rating-appeals?status=pending", headers=boss)).json()
    assert pending["total"] == 1
    resp = await client.post(decide, json={"uphold": True, "reason": "核实为误评"}, headers=boss)
    assert resp.status_code == 200 and resp.json()["status"] == "upheld"
    assert_error(
        await client.post(decide, json={"uphold": False, "reason": "改主意"}, headers=boss),
        409,
        "APPEAL_DECIDED",
    )

    kept = await Rating.get(id=rid)  # still there, with its level, only excluded
    assert (kept.level, kept.excluded, kept.exclusion_reason) == (2, True, "核实为误评")
    stats = (await client.get("/api/v1/ratings/stats?department=GA&from=2026-04-01&to=2026-04-30")).json()
    assert stats["overall"]["rated"] == 0 and stats["overall"]["bad"] == 0
    assert stats["overall"]["unrated_cases"] == 0  # the citizen did rate
    assert_error(
        await client.post(appeal_url, json={"reason": "再来一次申诉"}, headers=win), 409, "ALREADY_EXCLUDED"
    )
