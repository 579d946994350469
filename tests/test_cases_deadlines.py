"""Working-day deadlines through the API: 国庆 2026, the make-up Saturday, suspension, unknown years."""

from __future__ import annotations

from datetime import date

import pytest

from citizen_api import clock
from citizen_api.cases import deadlines
from citizen_api.cases.models import Application
from citizen_api.settings import Settings
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.calendar_years import FAR_TOKENS, KNOWN, UNKNOWN, import_known_year
from tests.conftest import make_settings


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    # tokens outlive the clock's jumps, even the one to an unknown year decades ahead
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **FAR_TOKENS)


@pytest.mark.parametrize(
    ("accepted_on", "days", "expected"),
    [
        # 09-30 (Wed) + 5: 10-01..07 holiday, 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        # the make-up Saturday is itself a deadline
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # accepted during the holiday: counting starts with the next working day
        (date(2026, 10, 3), 1, date(2026, 10, 8)),
        # 即办: the day of acceptance, even on a make-up Saturday
        (date(2026, 10, 10), 0, date(2026, 10, 10)),
        # the Sunday 09-20 is a make-up workday too
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
    ],
)
async def test_deadline_arithmetic(accepted_on, days, expected, database_url, app):
    clk = await deadlines.on_accept(accepted_on, days, "working_day", Settings(env="test"))
    assert clk.deadline == expected and clk.uncertain is False


async def test_yellow_day_follows_the_settings(database_url, app):
    settings = Settings(env="test")
    # 5 days from 09-30 end on 10-13: one day left (or 80 % used) from Monday 10-12
    clk = await deadlines.on_accept(date(2026, 9, 30), 5, "working_day", settings)
    assert clk.yellow_on == date(2026, 10, 12)
    # 20 days: 80 % used = 4 days left
    clk = await deadlines.on_accept(date(2026, 9, 1), 20, "working_day", settings)
    remaining, _ = await deadlines.working_days_between(clk.yellow_on, clk.deadline)
    assert remaining == 4
    looser = Settings(env="test", warning_yellow_days_left=1, warning_yellow_used_ratio=1.0)
    clk = await deadlines.on_accept(date(2026, 9, 1), 20, "working_day", looser)
    assert (await deadlines.working_days_between(clk.yellow_on, clk.deadline))[0] == 1


async def _accepted_case(api, client, settings, when, **item):
    clock.set_now(when)
    product = await f.published_item(**item)
    alice = await f.citizen(api, client)
    admin = await f.staff(settings, "admin", "admin")
    case_id = (await f.submit(client, alice, product))["id"]
    resp = await f.act(client, admin, case_id, "accept")
    assert resp.status_code == 200, resp.text
    return case_id, alice, admin


async def test_acceptance_before_national_day(database_url, settings, api, client):
    case_id, alice, _ = await _accepted_case(api, client, settings, f.at(2026, 9, 30))
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()
    assert detail["accepted_on"] == "2026-09-30"
    assert detail["deadline"] == "2026-10-13"
    assert detail["calendar_uncertain"] is False
    assert "2026-10-13" in detail["timeline"][-1]["note"]


async def test_suspension_is_not_counted(database_url, settings, api, client):
    case_id, alice, admin = await _accepted_case(api, client, settings, f.at(2026, 9, 30))
    clock.set_now(f.at(2026, 10, 8))
    assert (await f.act(client, admin, case_id, "suspend", {"reason": "专家评审"})).status_code == 200
    # suspended over the make-up Saturday: 10-09, 10-10 and 10-12 are not counted
    clock.set_now(f.at(2026, 10, 12))
    resumed = await f.act(client, admin, case_id, "resume")
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["deadline"] == "2026-10-16"
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()
    assert "3 个工作日" in detail["timeline"][-1]["note"]
    assert [t["status"] for t in detail["timeline"]] == ["submitted", "accepted", "suspended", "accepted"]

    clock.set_now(f.at(2026, 10, 16))
    assert (await f.act(client, admin, case_id, "approve")).status_code == 200
    case = await Application.get(id=case_id)
    assert case.on_time is True
    assert case.suspended_days == 3
    # 8 working days passed since acceptance, 3 of them suspended
    assert case.working_days_used == 5


async def test_supplement_restarts_the_clock(database_url, settings, api, client):
    clock.set_now(f.at(2026, 9, 28))
    product = await f.published_item()
    alice = await f.citizen(api, client)
    window = await f.staff(settings, "w", "window")
    case_id = (await f.submit(client, alice, product))["id"]
    body = {"missing": [product.material("户口簿").id], "note": "户口簿缺页"}
    assert (await f.act(client, window, case_id, "request-supplement", body)).status_code == 200
    clock.set_now(f.at(2026, 10, 9))
    fresh = await f.upload(alice.user_id)
    resp = await client.post(
        f"/api/v1/applications/{case_id}/supplement",
        json={"materials": {str(product.material("户口簿").id): [fresh.id]}},
        headers=alice.headers,
    )
    assert resp.status_code == 200, resp.text
    accepted = await f.act(client, window, case_id, "accept")
    # counted anew from 10-09: 10-10, 10-12, 10-13, 10-14, 10-15
    assert accepted.json()["deadline"] == "2026-10-15"


async def test_unknown_year_is_flagged_not_guessed(database_url, settings, api, client):
    # UNKNOWN: a year the installed chinese-calendar does not know, after KNOWN, an imported year
    # (tests/calendar_years.py); tokens are minted on the wall clock, before the clock jumps there
    supervisor = await f.staff(settings, "boss", "supervisor")
    alice = await f.citizen(api, client)
    admin = await f.staff(settings, "admin", "admin")
    await import_known_year()
    # 45 working days from 11-02 reach into UNKNOWN, whose official schedule nobody knows yet
    clock.set_now(f.at(KNOWN, 11, 2))
    product = await f.published_item(promised_days=45)
    case_id = (await f.submit(client, alice, product))["id"]
    assert (await f.act(client, admin, case_id, "accept")).status_code == 200
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()
    # 43 working days to 12-31, then weekends only in UNKNOWN (01-01 counts, unknown): flagged, said so
    assert detail["deadline"] == f"{UNKNOWN}-01-04"
    assert detail["calendar_uncertain"] is True
    assert "尚未公布" in detail["timeline"][-1]["note"]

    # the supervisors are told once (an outbox row each), not only shown a flag
    told = await Notification.filter(event="case.warning", audience="staff")
    assert [(n.payload["level"], n.payload["number"]) for n in told] == [
        ("calendar_uncertain", detail["number"])
    ]
    assert "尚未公布" in told[0].payload["note"] and told[0].payload["deadline"] == f"{UNKNOWN}-01-04"
    listed = (
        await client.get(
            "/api/v1/staff/applications", params={"calendar_uncertain": "true"}, headers=supervisor
        )
    ).json()
    assert [c["id"] for c in listed["items"]] == [case_id]
    assert listed["items"][0]["calendar_uncertain"] is True
    warnings = (
        await client.get(
            "/api/v1/staff/supervision/warnings", params={"level": "calendar_uncertain"}, headers=supervisor
        )
    ).json()
    assert warnings["total"] == 1 and warnings["items"][0]["number"] == detail["number"]


async def test_natural_day_items(database_url, app):
    clk = await deadlines.on_accept(date(2026, 9, 30), 10, "natural_day", Settings(env="test"))
    assert clk.deadline == date(2026, 10, 10)
