"""补正 gets a due date (working days), the citizen is reminded once before it, staff see it pass."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from citizen_api import clock
from citizen_api.app import create_app, open_state
from citizen_api.domains import PERIODIC_JOBS, WORKER_LIFESPANS
from citizen_api.security.identity import id_check_char
from notifications import periodic
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.calendar_years import FAR_TOKENS, KNOWN, UNKNOWN, import_known_year
from tests.conftest import Api, make_settings
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)

REMINDER = "case.supplement_due"
SUPPLEMENT_TEMPLATE = "dev-mp-case-supplement"


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    # tokens outlive the clock's jumps, even the one to an unknown year decades ahead
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **FAR_TOKENS)


@pytest.fixture
def notify_overrides():  # the napp fixture's settings: tokens outlive the clock's jumps
    return dict(f.LONG_TOKENS)


@contextlib.asynccontextmanager
async def served(configured):
    """The app with other settings than the module's ``client`` has."""
    async with (
        LifespanManager(create_app(configured), startup_timeout=60, shutdown_timeout=30) as manager,
        AsyncClient(transport=ASGITransport(app=manager.app), base_url="http://t") as client,
    ):
        yield client


async def run_reminders(settings) -> int | None:
    """The job as the scheduler runs it: the registry's entry, through the job runner."""
    [job] = [job for job in PERIODIC_JOBS if job.name == "supplement_reminders"]
    async with open_state(settings, WORKER_LIFESPANS) as state:
        return await periodic.run_job(job, state, clock.now())


async def reminders(user_id: int) -> list[Notification]:
    return await Notification.filter(user_id=user_id, event=REMINDER).order_by("id")


# tokens are issued before the clock moves ahead (a token dated after the wall clock is not valid yet)
SETUP_DAY = f.at(2026, 9, 1)


async def requested(client, api, settings, *, on, name="alice"):
    """A case whose 户口簿 the window asked to supplement on ``on``."""
    clock.set_now(SETUP_DAY)
    item = await f.published_item(f"GA-HJ-{name}")
    person = await f.citizen(api, client, name)
    created = await f.submit(client, person, item)
    window = await f.staff(settings, f"w-{name}", "window")
    clock.set_now(on)
    body = {"missing": [item.material("户口簿").id], "note": "复印件不清晰"}
    resp = await f.act(client, window, created["id"], "request-supplement", body)
    assert resp.status_code == 200, resp.text
    return item, person, created["id"], window


async def citizen_detail(client, person, case_id) -> dict:
    resp = await client.get(f"/api/v1/applications/{case_id}", headers=person.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def staff_detail(client, headers, case_id) -> dict:
    resp = await client.get(f"/api/v1/staff/applications/{case_id}", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_due_date_is_five_working_days_across_the_national_day(database_url, settings, api, client):
    # 09-30 + 5 working days: 10-01..07 holiday, 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13
    _, alice, case_id, window = await requested(client, api, settings, on=f.at(2026, 9, 30))
    detail = await citizen_detail(client, alice, case_id)
    assert detail["status"] == "supplement_required"
    assert (detail["missing_due"], detail["missing_due_uncertain"], detail["missing_overdue"]) == (
        "2026-10-13",
        False,
        False,
    )
    assert "2026-10-13" in detail["timeline"][-1]["note"]
    staff = await staff_detail(client, window, case_id)
    assert (staff["missing_due"], staff["missing_overdue"]) == ("2026-10-13", False)
    # the citizen's message about the request carries the date
    [told] = await Notification.filter(user_id=alice.user_id, event="case.supplement_required")
    assert told.payload["missing_due"] == "2026-10-13" and "2026-10-13" in told.payload["note"]


@pytest.mark.parametrize("days", [3])
async def test_the_number_of_working_days_is_a_setting(days, tmp_path, database_url, wechat_sim):
    configured = make_settings(
        tmp_path, database_url, wechat_sim.base_url, supplement_due_working_days=days, **f.LONG_TOKENS
    )
    async with served(configured) as client:
        _, alice, case_id, _ = await requested(client, Api(client), configured, on=f.at(2026, 9, 30))
        # 10-08, 10-09, 10-10 (the make-up Saturday)
        assert (await citizen_detail(client, alice, case_id))["missing_due"] == "2026-10-10"


async def test_a_due_date_in_an_unknown_year_is_flagged_not_silently_guessed(
    database_url, settings, api, client
):
    # UNKNOWN: a year the installed chinese-calendar does not know, after KNOWN, an imported year
    # (tests/calendar_years.py). 12-28 + 5: 12-29, 12-30, 12-31, then UNKNOWN (no schedule yet):
    # weekends-only count, flagged
    await import_known_year()
    _, alice, case_id, window = await requested(client, api, settings, on=f.at(KNOWN, 12, 28))
    detail = await citizen_detail(client, alice, case_id)
    assert (detail["missing_due"], detail["missing_due_uncertain"]) == (f"{UNKNOWN}-01-04", True)
    assert "尚未公布" in detail["timeline"][-1]["note"]
    assert (await staff_detail(client, window, case_id))["missing_due_uncertain"] is True


async def test_one_reminder_the_working_day_before_then_overdue_for_staff(
    database_url, settings, api, client
):
    # requested Mon 11-02: due Mon 11-09; reminded from Fri 11-06 (one working day left), 09:00 on
    _, alice, case_id, window = await requested(client, api, settings, on=f.at(2026, 11, 2))
    assert (await citizen_detail(client, alice, case_id))["missing_due"] == "2026-11-09"

    for moment in (f.at(2026, 11, 5, 18), f.at(2026, 11, 6, 8)):  # the day before; too early that day
        clock.set_now(moment)
        assert await run_reminders(settings) == 0
    assert await reminders(alice.user_id) == []

    clock.set_now(f.at(2026, 11, 6, 10))
    assert await run_reminders(settings) == 1
    [reminder] = await reminders(alice.user_id)
    assert reminder.payload["missing_due"] == "2026-11-09" and reminder.payload["note"] == "户口簿"
    assert reminder.payload["number"] == (await citizen_detail(client, alice, case_id))["number"]

    # later runs, the weekend, the due day itself: nothing more
    for moment in (f.at(2026, 11, 6, 11), f.at(2026, 11, 7, 10), f.at(2026, 11, 9, 16)):
        clock.set_now(moment)
        assert await run_reminders(settings) == 0
    assert len(await reminders(alice.user_id)) == 1
    staff = await staff_detail(client, window, case_id)
    assert staff["missing_overdue"] is False

    # the due date passed: still one reminder; staff see it overdue (detail, list, filter)
    clock.set_now(f.at(2026, 11, 10, 10))
    assert await run_reminders(settings) == 0
    assert len(await reminders(alice.user_id)) == 1
    assert (await staff_detail(client, window, case_id))["missing_overdue"] is True
    assert (await citizen_detail(client, alice, case_id))["missing_overdue"] is True
    overdue = await client.get("/api/v1/staff/applications?missing_overdue=true", headers=window)
    assert [row["id"] for row in overdue.json()["items"]] == [case_id]
    assert overdue.json()["items"][0]["missing_overdue"] is True
    calm = await client.get("/api/v1/staff/applications?missing_overdue=false", headers=window)
    assert calm.json()["total"] == 0


async def test_a_case_supplemented_in_time_is_not_reminded(database_url, settings, api, client):
    item, alice, case_id, window = await requested(client, api, settings, on=f.at(2026, 11, 2))
    clock.set_now(f.at(2026, 11, 3))
    owed = {str(item.material("户口簿").id): [(await f.upload(alice.user_id)).id]}
    resp = await client.post(
        f"/api/v1/applications/{case_id}/supplement", json={"materials": owed}, headers=alice.headers
    )
    assert resp.status_code == 200, resp.text
    assert (resp.json()["status"], resp.json()["missing_due"]) == ("submitted", None)

    clock.set_now(f.at(2026, 11, 6, 10))
    assert await run_reminders(settings) == 0
    clock.set_now(f.at(2026, 11, 10, 10))
    assert (await staff_detail(client, window, case_id))["missing_overdue"] is False
    listed = await client.get("/api/v1/staff/applications?missing_overdue=false", headers=window)
    assert [row["id"] for row in listed.json()["items"]] == [case_id]
    assert await reminders(alice.user_id) == []


async def test_concurrent_runs_send_one_reminder(postgres_url, tmp_path, wechat_sim):
    configured = make_settings(tmp_path, postgres_url, wechat_sim.base_url, **f.LONG_TOKENS)
    async with served(configured) as client:
        _, alice, _, _ = await requested(client, Api(client), configured, on=f.at(2026, 11, 2))
        clock.set_now(f.at(2026, 11, 6, 10))
        counts = await asyncio.gather(*(run_reminders(configured) for _ in range(4)))
        assert sum(counts) == 1
        assert len(await reminders(alice.user_id)) == 1


async def test_the_reminder_reaches_wechat_with_the_due_date(napp):
    clock.set_now(SETUP_DAY)
    user_id, headers = await napp.citizen("alice")
    await napp.grant(headers, SUPPLEMENT_TEMPLATE)
    item = await f.published_item()
    base = f.ID_NUMBERS[0][:17]
    profile = {"name": "张三丰", "id_number": base + id_check_char(base), "phone": "13812345678"}
    assert (await napp.client.put("/api/v1/me/profile", json=profile, headers=headers)).status_code == 200
    person = f.Citizen(user_id, headers, "13812345678")
    created = await f.submit(napp.client, person, item)
    window = await f.staff(napp.settings, "w1", "window")
    clock.set_now(f.at(2026, 11, 2))
    body = {"missing": [item.material("户口簿").id]}
    assert (await f.act(napp.client, window, created["id"], "request-supplement", body)).status_code == 200
    # the request's own message spends the one grant: the citizen grants again for the reminder
    [request_row] = await Notification.filter(user_id=user_id, event="case.supplement_required")
    assert (await napp.settled(request_row.id)).status == "sent"
    await napp.grant(headers, SUPPLEMENT_TEMPLATE)
    sent_before = len(napp.messages())

    clock.set_now(f.at(2026, 11, 6, 10))
    assert await run_reminders(napp.settings) == 1
    [row] = await reminders(user_id)
    napp.state.dispatcher.kick()
    row = await napp.settled(row.id)
    assert row.status == "sent", row.reason
    [message] = napp.messages()[sent_before:]
    assert message["template_id"] == SUPPLEMENT_TEMPLATE
    data = {key: value["value"] for key, value in message["data"].items()}
    assert data["character_string1"] == created["number"] and data["thing3"] == "户口簿"
