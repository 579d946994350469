"""POST /staff/calendar/import: the `onetrip holidays import` file through the API — a preview day by
day (dry_run, nothing written), then the import that makes the year known; the CLI's checks as 422s
at their fields; admins only. GET /staff/calendar lists every day of an unknown year as not known."""

from __future__ import annotations

import json

import pytest

from citizen_api.workdays import service
from tests.calendar_years import UNKNOWN, schedule, unknown
from tests.conftest import assert_error, create_staff

URL = "/api/v1/staff/calendar/import"


@pytest.fixture
async def admin(api, client) -> dict[str, str]:
    await create_staff("calendar-admin", "admin", None)
    return await api.staff_headers("calendar-admin")


async def _month(client, headers, month: int) -> list[dict]:
    start, end = unknown(month, 1), unknown(month + 1, 1)
    resp = await client.get(
        "/api/v1/staff/calendar", params={"from": start.isoformat(), "to": end.isoformat()}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["items"][:-1]


async def test_preview_then_import_makes_the_year_known(database_url, client, admin):
    january = await _month(client, admin, 1)
    assert len(january) == 31 and not any(day["known"] for day in january)  # an unknown year, every day

    body = schedule(UNKNOWN)
    resp = await client.post(URL, params={"dry_run": "true"}, json=body, headers=admin)
    assert resp.status_code == 200, resp.text
    preview = resp.json()
    assert (preview["year"], preview["known_before"], preview["applied"]) == (UNKNOWN, False, False)
    assert (preview["holidays"], preview["workdays"]) == (11, 2)
    changes = {change["date"]: change for change in preview["changes"]}
    assert changes[unknown(1, 1).isoformat()] == {
        "date": unknown(1, 1).isoformat(), "name": "元旦", "kind_before": "unknown", "kind_after": "holiday",
    }  # fmt: skip
    assert changes[unknown(2, 14).isoformat()]["kind_after"] == "makeup_workday"
    assert len(preview["changes"]) == sum(1 for _ in range(365))  # every day of the year becomes known
    assert not any(day["known"] for day in await _month(client, admin, 1))  # the preview wrote nothing
    assert (await service.add_working_days(unknown(1, 4), 5)).uncertain

    resp = await client.post(URL, params={"dry_run": "false"}, json=body, headers=admin)
    assert resp.status_code == 200, resp.text
    assert resp.json()["applied"] is True
    january = {day["date"]: day for day in await _month(client, admin, 1)}
    assert all(day["known"] for day in january.values())
    assert january[unknown(1, 1).isoformat()]["kind"] == "holiday"
    assert january[unknown(1, 4).isoformat()]["kind"] == "workday"
    february = {day["date"]: day for day in await _month(client, admin, 2)}
    assert february[unknown(2, 14).isoformat()]["kind"] == "makeup_workday"
    deadline = await service.add_working_days(unknown(2, 5), 2)  # over 春节, counting the make-up Sunday
    assert (deadline.date, deadline.uncertain) == (unknown(2, 15), False)  # 14 (Sun, make-up), 15

    again = (await client.post(URL, params={"dry_run": "true"}, json=body, headers=admin)).json()
    assert (again["known_before"], again["changes"]) == (True, [])

    trail = await client.get("/api/v1/staff/audit", params={"object_type": "calendar_year"}, headers=admin)
    [entry] = trail.json()["items"]
    assert (entry["action"], entry["object_id"], entry["actor_name"]) == (
        "calendar.import",
        str(UNKNOWN),
        "calendar-admin",
    )


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (
            {"year": UNKNOWN, "holidays": [{"name": "春节", "dates": [f"{UNKNOWN}-02-30"]}]},
            "body.holidays.0.dates.0",
        ),
        (dict(schedule(UNKNOWN), workdays=[f"{UNKNOWN + 1}-02-14"]), "body.workdays.0"),
        (dict(schedule(UNKNOWN), workdays=[f"{UNKNOWN}-01-02"]), "body.workdays.0"),
        ({"year": str(UNKNOWN), "holidays": []}, "body.year"),
        ({"year": UNKNOWN, "holidays": [], "extra": 1}, "body.extra"),
        ("not json", "body"),
    ],
)
async def test_the_cli_checks_answer_422_at_their_field(database_url, client, admin, raw, field):
    content = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    for dry_run in ("true", "false"):
        resp = await client.post(URL, params={"dry_run": dry_run}, content=content, headers=admin)
        error = assert_error(resp, 422, "VALIDATION_ERROR")
        assert field in error["details"]["fields"], error
    assert not any(day["known"] for day in await _month(client, admin, 1))


async def test_only_admins_import(database_url, api, client):
    for name, role, department in (("sup", "supervisor", None), ("win", "window", "GA")):
        await create_staff(name, role, department)
        resp = await client.post(URL, json=schedule(UNKNOWN), headers=await api.staff_headers(name))
        assert_error(resp, 403, "FORBIDDEN")
    assert_error(await client.post(URL, json=schedule(UNKNOWN)), 401, "UNAUTHENTICATED")
