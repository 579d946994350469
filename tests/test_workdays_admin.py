"""Admin calendar over HTTP (role matrix, bad dates) and ``onetrip holidays import`` as a real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import anyio
import pytest
from typer.testing import CliRunner

from citizen_api.workdays import cache, service
from citizen_api.workdays.commands import app as holidays_cli
from citizen_api.workdays.models import CalendarDay
from tests.calendar_years import UNKNOWN, import_known_year, known, schedule, unknown
from tests.conftest import assert_error, create_staff
from tests.test_workdays import SCHEDULE_2027

ONETRIP = str(Path(sys.executable).parent / "onetrip")


@pytest.fixture
async def admin(api, client) -> dict[str, str]:
    await create_staff("calendar-admin", "admin", None)
    return await api.staff_headers("calendar-admin")


async def test_admin_opens_a_holiday_closes_a_day_and_adds_a_workday(client, admin):
    url = "/api/v1/staff/calendar/"
    resp = await client.put(
        url + "2026-10-03", json={"kind": "holiday_service", "note": "国庆预约服务"}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "date": "2026-10-03",
        "weekday": 6,
        "kind": "holiday_service",
        "working_day": False,
        "known": True,
        "name": "国庆预约服务",
        "override": "admin",
    }
    # appointment-only service does not move a case's deadline
    assert (await service.add_working_days(date(2026, 9, 29), 5)).date == date(2026, 10, 12)

    resp = await client.put(url + "2026-10-09", json={"kind": "closed", "note": "设备检修"}, headers=admin)
    assert resp.json()["kind"] == "closed" and resp.json()["working_day"] is False
    assert (await service.add_working_days(date(2026, 9, 29), 5)).date == date(2026, 10, 13)

    resp = await client.put(url + "2026-10-11", json={"kind": "workday"}, headers=admin)
    assert resp.json()["kind"] == "makeup_workday" and resp.json()["working_day"] is True
    assert (await service.add_working_days(date(2026, 9, 29), 5)).date == date(2026, 10, 12)

    listing = await client.get("/api/v1/staff/calendar?from=2026-10-01&to=2026-10-12", headers=admin)
    assert listing.status_code == 200
    body = listing.json()
    assert body["total"] == 12
    kinds = {item["date"]: item["kind"] for item in body["items"]}
    assert kinds["2026-10-01"] == "holiday"
    assert kinds["2026-10-03"] == "holiday_service"
    assert kinds["2026-10-09"] == "closed"
    assert kinds["2026-10-10"] == "makeup_workday"
    assert kinds["2026-10-11"] == "makeup_workday"

    # undoing the closure restores chinese-calendar's answer; undoing twice finds nothing
    resp = await client.delete(url + "2026-10-09", headers=admin)
    assert resp.status_code == 200 and resp.json()["kind"] == "workday" and resp.json()["override"] is None
    assert_error(await client.delete(url + "2026-10-09", headers=admin), 404, "NOT_FOUND")
    # a second PUT replaces the first
    resp = await client.put(url + "2026-10-03", json={"kind": "closed"}, headers=admin)
    assert resp.json()["kind"] == "closed" and resp.json()["name"] == "国庆节"


async def test_only_admins_change_the_calendar(api, client, admin):
    await create_staff("w1", "window", "GA")
    await create_staff("a1", "approver", "GA")
    await create_staff("s1", "supervisor", None)
    others = {
        "citizen": await api.citizen_headers("alice"),
        "window": await api.staff_headers("w1"),
        "approver": await api.staff_headers("a1"),
        "supervisor": await api.staff_headers("s1"),
    }
    body = {"kind": "closed", "note": ""}
    for role, headers in others.items():
        assert_error(
            await client.put("/api/v1/staff/calendar/2026-10-09", json=body, headers=headers),
            403,
            "FORBIDDEN",
        )
        assert_error(
            await client.delete("/api/v1/staff/calendar/2026-10-09", headers=headers), 403, "FORBIDDEN"
        )
        listing = await client.get("/api/v1/staff/calendar", headers=headers)
        if role == "citizen":
            assert_error(listing, 403, "FORBIDDEN")
        else:
            assert listing.status_code == 200 and listing.json()["total"] == 31
    assert_error(await client.put("/api/v1/staff/calendar/2026-10-09", json=body), 401, "UNAUTHENTICATED")
    assert (await service.day_info(date(2026, 10, 9))).kind == "workday"


@pytest.mark.parametrize(
    "day", ["2026-02-30", "2026-1-1", "1700000000", "9999-01-01", "2026-10-01T00:00", "today", "%00"]
)
async def test_bad_dates_are_422(client, admin, day):
    resp = await client.put(f"/api/v1/staff/calendar/{day}", json={"kind": "closed"}, headers=admin)
    assert "path.date" in assert_error(resp, 422, "VALIDATION_ERROR")["details"]["fields"]


async def test_bad_bodies_and_ranges_are_422(client, admin):
    url = "/api/v1/staff/calendar/2026-10-09"
    for body in ({"kind": "holiday"}, {"kind": "closed", "note": "长" * 101}, {}, {"kind": "closed", "x": 1}):
        assert_error(await client.put(url, json=body, headers=admin), 422, "VALIDATION_ERROR")
    for query in (
        "from=2026-10-09&to=2026-10-01",
        "from=2026-01-01&to=2027-01-02",
        "from=2026-13-01",
        "to=x",
    ):
        resp = await client.get(f"/api/v1/staff/calendar?{query}", headers=admin)
        assert_error(resp, 422, "VALIDATION_ERROR")
    assert await CalendarDay.all().count() == 0


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / f"schedule-{len(list(tmp_path.glob('schedule-*')))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data)
    return path


async def _run_import(database_url: str, tmp_path: Path, path: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, ONETRIP_ENV="test", ONETRIP_DATABASE_URL=database_url, ONETRIP_VAR_DIR=str(tmp_path)
    )
    command = [ONETRIP, "holidays", "import", str(path)]
    return await anyio.to_thread.run_sync(
        lambda: subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    )


async def test_import_command_is_idempotent_and_keeps_admin_overrides(client, admin, database_url, tmp_path):
    # UNKNOWN: a year the installed chinese-calendar does not know (tests/calendar_years.py)
    await import_known_year()
    assert (await service.add_working_days(known(12, 28), 10)).uncertain
    resp = await client.put(
        f"/api/v1/staff/calendar/{unknown(2, 8)}", json={"kind": "holiday_service"}, headers=admin
    )
    assert resp.json()["kind"] == "holiday_service"

    path = _write(tmp_path, schedule(UNKNOWN))
    first = await _run_import(database_url, tmp_path, path)
    assert first.returncode == 0, first.stderr
    assert f"imported {UNKNOWN}" in first.stdout and "the year is now known beyond" in first.stdout
    assert f"kept admin override {unknown(2, 8)} holiday_service" in first.stdout
    # another process wrote: this one notices at its next token check (at most a second later)
    cache.expire_check()
    assert await service.add_working_days(known(12, 28), 10) == service.Deadline(unknown(1, 12), False)
    assert (await service.day_info(unknown(2, 8))).kind == "holiday_service"
    rows = await CalendarDay.filter(year=UNKNOWN).count()

    changed = dict(schedule(UNKNOWN), workdays=[f"{UNKNOWN}-02-20"])  # the published correction drops one
    second = await _run_import(database_url, tmp_path, _write(tmp_path, changed))
    assert second.returncode == 0, second.stderr
    again = await _run_import(database_url, tmp_path, _write(tmp_path, changed))
    assert again.returncode == 0, again.stderr
    cache.expire_check()
    assert await CalendarDay.filter(year=UNKNOWN).count() == rows - 1
    assert (await service.day_info(unknown(2, 14))).kind == "weekend"
    assert (await service.day_info(unknown(2, 8))).kind == "holiday_service"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (dict(SCHEDULE_2027, workdays=["2026-02-14"]), "workday 2026-02-14 is not in 2027"),
        (
            dict(SCHEDULE_2027, workdays=["2027-01-02"]),
            "2027-01-02 is listed both as a holiday (元旦) and as a workday",
        ),
        ({"year": 2027, "holidays": [{"name": "春节", "dates": ["2027-02-30"]}]}, "holidays.0.dates.0"),
        ({"year": "2027", "holidays": []}, "year"),
        ({"year": 2027, "holidays": [], "extra": 1}, "extra"),
        ("{not json", "Invalid JSON"),
    ],
)
def test_import_refuses_bad_schedules_with_clear_errors(tmp_path, data, message):
    result = CliRunner().invoke(holidays_cli, ["import", str(_write(tmp_path, data))])
    assert result.exit_code == 2
    assert "cannot be imported" in result.output and message in result.output


def test_import_dry_run_checks_without_a_database(tmp_path):
    result = CliRunner().invoke(holidays_cli, ["import", "--dry-run", str(_write(tmp_path, SCHEDULE_2027))])
    assert result.exit_code == 0, result.output
    assert "2027 ok, 11 holiday dates, 2 workdays" in result.output
