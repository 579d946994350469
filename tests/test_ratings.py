"""一事一评 / 一次一评: who may rate, when, once, and what a rating may say."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.audit.models import AuditLog
from citizen_api.cases.models import TimelineEntry
from citizen_api.ratings.models import Rating
from tests.conftest import Api, assert_error, create_staff, make_settings
from tests.delivery_fixtures import citizen, make_case, make_item
from tests.job_runs import run_job


def url(case_id: int) -> str:
    return f"/api/v1/applications/{case_id}/rating"


async def test_citizen_rates_a_done_case(api, client):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, status="approved")
    resp = await client.post(
        url(case.id),
        json={"level": 4, "tags": ["流程便捷", "服务态度好"], "comment": "很快"},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["level"], body["level_text"], body["automatic"]) == (4, "满意", False)
    assert body["tags"] == ["流程便捷", "服务态度好"] and body["rectification"] is None
    entry = await TimelineEntry.get(application_id=case.id, kind="rating")
    assert "满意" in entry.note
    shown = await client.get(url(case.id), headers=headers)
    assert shown.status_code == 200 and shown.json()["id"] == body["id"]


@pytest.mark.parametrize("status", ["rejected", "delivered"])
async def test_rejected_and_delivered_cases_can_be_rated(api, client, status):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, status=status)
    assert (await client.post(url(case.id), json={"level": 5}, headers=headers)).status_code == 201


async def test_rating_twice_is_409(api, client):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice)
    assert (await client.post(url(case.id), json={"level": 5}, headers=headers)).status_code == 201
    assert_error(await client.post(url(case.id), json={"level": 1}, headers=headers), 409, "ALREADY_RATED")
    assert await Rating.filter(application_id=case.id).count() == 1
    assert (await Rating.get(application_id=case.id)).level == 5


@pytest.mark.parametrize("status", ["submitted", "accepted", "suspended", "supplement_required"])
async def test_rating_before_done_is_409(api, client, status):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, status=status)
    assert_error(await client.post(url(case.id), json={"level": 5}, headers=headers), 409, "NOT_FINISHED")


async def test_another_citizens_case_is_404(api, client):
    alice, _ = await citizen(api, "alice")
    _bob, bob_headers = await citizen(api, "bob")
    case = await make_case(alice)
    assert_error(await client.post(url(case.id), json={"level": 1}, headers=bob_headers), 404, "NOT_FOUND")
    assert_error(await client.get(url(case.id), headers=bob_headers), 404, "NOT_FOUND")
    assert_error(await client.post(url(999_999), json={"level": 1}, headers=bob_headers), 404, "NOT_FOUND")
    assert await Rating.all().count() == 0


async def test_staff_can_neither_rate_nor_change_and_the_attempt_is_audited(api, client):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice)
    await create_staff("win1", "window", "GA")
    staff = await api.staff_headers("win1")
    assert_error(await client.post(url(case.id), json={"level": 5}, headers=staff), 403, "FORBIDDEN")
    assert await Rating.all().count() == 0
    assert (
        await client.post(url(case.id), json={"level": 2, "tags": ["态度差"]}, headers=headers)
    ).status_code == 201
    assert_error(await client.put(url(case.id), json={"level": 5}, headers=staff), 403, "FORBIDDEN")
    assert (await Rating.get(application_id=case.id)).level == 2
    actions = await AuditLog.filter(object_id=str(case.id)).order_by("id").values_list("action", flat=True)
    assert actions == ["rating.create_refused", "rating.change_refused"]
    # the citizen cannot change it either: a rating is final
    assert_error(await client.put(url(case.id), json={"level": 5}, headers=headers), 409, "RATING_FINAL")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": 0}, "body.level"),
        ({"level": 6}, "body.level"),
        ({"level": 99_999_999_999}, "body.level"),
        ({"level": "five"}, "body.level"),
        ({}, "body.level"),
        ({"level": 5, "tags": ["态度差"]}, "body.tags"),  # a complaint tag on 非常满意
        ({"level": 1, "tags": ["流程便捷"]}, "body.tags"),
        ({"level": 4, "tags": ["随便写的"]}, "body.tags"),
        ({"level": 4, "tags": ["流程便捷"] * 9}, "body.tags"),
        ({"level": 4, "comment": "好" * 501}, "body.comment"),
        ({"level": 4, "extra": 1}, "body.extra"),
    ],
)
async def test_bad_ratings_are_422(api, client, payload, field):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice)
    err = assert_error(
        await client.post(url(case.id), json=payload, headers=headers), 422, "VALIDATION_ERROR"
    )
    assert field in err["details"]["fields"]


async def test_basically_satisfied_may_carry_either_kind_of_tag(api, client):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice)
    resp = await client.post(
        url(case.id), json={"level": 3, "tags": ["流程便捷", "材料繁琐"]}, headers=headers
    )
    assert resp.status_code == 201


async def test_rating_window(api, client):
    clock.set_now(clock.now())
    alice, headers = await citizen(api, "alice")
    late = await make_case(alice, decided_at=clock.now() - timedelta(days=7, minutes=1))
    in_time = await make_case(alice, decided_at=clock.now() - timedelta(days=6, hours=23))
    assert_error(
        await client.post(url(late.id), json={"level": 5}, headers=headers), 409, "RATING_WINDOW_CLOSED"
    )
    assert (await client.post(url(in_time.id), json={"level": 5}, headers=headers)).status_code == 201


async def test_vocabulary_is_public(client):
    body = (await client.get("/api/v1/ratings/vocabulary")).json()
    assert body["levels"]["3"] == "基本满意"
    assert "态度差" in body["tags"]["1"] and "态度差" not in body["tags"]["5"]


@pytest.fixture
async def pg_client(tmp_path, postgres_url, wechat_sim):
    application = create_app(make_settings(tmp_path, postgres_url, wechat_sim.base_url))
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_racing_ratings_make_one(pg_client):
    alice, headers = await citizen(Api(pg_client), "alice")
    case = await make_case(alice)
    answers = await asyncio.gather(
        *[
            pg_client.post(url(case.id), json={"level": level}, headers=headers)
            for level in (5, 4, 3, 2, 1, 5)
        ]
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 409, 409, 409, 409, 409]
    assert all(r.json()["error"]["code"] == "ALREADY_RATED" for r in answers if r.status_code == 409)
    assert await Rating.filter(application_id=case.id).count() == 1


# -- 一次一评 (window visits) ----------------------------------------------------------------------
async def _appointment(user_id: int, *, status: str = "checked_in", department: str = "GA"):
    from citizen_api.appointments.models import Appointment, Office, Slot, WindowGroup

    item, _ = await make_item(department)
    office, _ = await Office.get_or_create(code="HALL", defaults={"name": "市民中心"})
    group, _ = await WindowGroup.get_or_create(
        code=f"G-{department}", defaults={"office": office, "name": "综合窗口", "prefix": department[:1]}
    )
    now = clock.now()
    slot = await Slot.create(
        group=group, date=clock.today(), mode="workday", starts_at=now, ends_at=now, capacity=3
    )
    return await Appointment.create(
        user_id=user_id,
        item=item,
        slot=slot,
        date=clock.today(),
        starts_at=now,
        status=status,
        checked_in_at=now if status == "checked_in" else None,
    )


async def test_visit_rating_once_for_own_checked_in_appointment(api, client):
    alice, headers = await citizen(api, "alice")
    _bob, bob_headers = await citizen(api, "bob")
    visit = await _appointment(alice)
    booked = await _appointment(alice, status="booked")
    visit_url = f"/api/v1/appointments/{visit.id}/rating"
    assert_error(await client.post(visit_url, json={"level": 5}, headers=bob_headers), 404, "NOT_FOUND")
    assert_error(
        await client.post(f"/api/v1/appointments/{booked.id}/rating", json={"level": 5}, headers=headers),
        409,
        "NOT_FINISHED",
    )
    await create_staff("win1", "window", "GA")
    staff = await api.staff_headers("win1")
    assert_error(await client.post(visit_url, json={"level": 5}, headers=staff), 403, "FORBIDDEN")
    refused = await AuditLog.get(object_type="appointment", object_id=str(visit.id))
    assert refused.action == "rating.create_refused"
    resp = await client.post(visit_url, json={"level": 1, "tags": ["态度差"]}, headers=headers)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["kind"] == "visit" and body["appointment_id"] == visit.id
    assert body["rectification"]["status"] == "open"  # a bad visit rating is followed up too
    assert (await Rating.get(id=body["id"])).department_code == "GA"
    assert_error(await client.post(visit_url, json={"level": 5}, headers=headers), 409, "ALREADY_RATED")


# -- automatic 基本满意 (the window passes without a rating) --------------------------------------
async def test_unrated_case_becomes_automatic_basically_satisfied_on_the_clock(api, client, settings):
    from citizen_api.ratings.jobs import run_rating_jobs

    decided = datetime(2026, 3, 2, 10, 0, tzinfo=clock.CST)  # in the past: tokens are checked on it
    clock.set_now(decided)
    alice, headers = await citizen(api, "alice")
    quiet = await make_case(alice, decided_at=decided)
    rated = await make_case(alice, decided_at=decided)
    open_case = await make_case(alice, status="accepted")
    assert (await client.post(url(rated.id), json={"level": 5}, headers=headers)).status_code == 201

    # one minute before the 7 days are up: nothing is recorded for the citizen
    assert await run_job(run_rating_jobs, settings, decided + timedelta(days=7, minutes=-1)) == 0
    assert await Rating.filter(application_id=quiet.id).count() == 0

    clock.set_now(decided + timedelta(days=7, minutes=1))
    assert await run_job(run_rating_jobs, settings, clock.now()) == 1
    auto = await Rating.get(application_id=quiet.id)
    assert (auto.level, auto.automatic, auto.user_id, auto.department_code) == (3, True, alice, "GA")
    assert auto.service_at == decided  # counted in the period the case was decided
    assert (await Rating.get(application_id=rated.id)).level == 5  # a citizen's rating is never replaced
    assert await Rating.filter(application_id=open_case.id).count() == 0  # not done: nothing to rate
    note = (await TimelineEntry.get(application_id=quiet.id, kind="rating")).note
    assert "7 天内未评价" in note and "基本满意" in note

    # the job may run again (or in two processes): still one rating
    assert await run_job(run_rating_jobs, settings, clock.now() + timedelta(hours=1)) == 0
    assert await Rating.filter(application_id=quiet.id).count() == 1

    headers = await api.citizen_headers("alice")  # the tokens follow the clock
    shown = (await client.get(url(quiet.id), headers=headers)).json()
    assert (shown["level"], shown["level_text"], shown["automatic"]) == (3, "基本满意", True)
    assert_error(await client.post(url(quiet.id), json={"level": 1}, headers=headers), 409, "ALREADY_RATED")


async def test_the_automatic_window_is_configurable(api, client, settings):
    from citizen_api.ratings.jobs import run_rating_jobs

    clock.set_now(clock.now())
    alice, _headers = await citizen(api, "alice")
    case = await make_case(alice, decided_at=clock.now())
    three_days = settings.model_copy(update={"rating_window_days": 3})
    assert await run_job(run_rating_jobs, three_days, clock.now() + timedelta(days=3, minutes=-1)) == 0
    assert await run_job(run_rating_jobs, three_days, clock.now() + timedelta(days=3, minutes=1)) == 1
    assert (await Rating.get(application_id=case.id)).automatic is True
