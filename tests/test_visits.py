"""上门服务 end to end over HTTP on SQLite and PostgreSQL: a citizen of 76 (by the ID number) asks for a
visit, the department schedules it (the citizen is told), records the case accepted on site, and the
figures count it; a younger citizen is refused unless staff confirm a declared disability; an item
that offers no visits, a second request, another department's clerk and another citizen are refused."""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.catalog.models import ItemVersion
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.licences_fixtures import desk, licence_item

ADDRESS = {
    "name": "王秀英",
    "phone": "13700001111",
    "province": "广东省",
    "city": "广州市",
    "district": "海珠区",
    "address": "南华西街 12 号 3 楼",
}


async def _visit_item(code: str = "SC-SM-201", *, home_visit: bool = True) -> f.Item:
    item = await licence_item(code, "个体工商户注销登记")
    await ItemVersion.filter(id=item.version.id).update(guide={"home_visit": home_visit})
    return item


def _ask(item: f.Item, reason: str = "age", **extra) -> dict:
    soon = (clock.today() + timedelta(days=3)).isoformat()
    return {"item_code": item.code, "reason": reason, "address": ADDRESS, "preferred_days": [soon], **extra}


async def test_a_visit_from_request_to_the_case_accepted_at_home(database_url, api, client, settings):
    item = await _visit_item()
    elder = await f.citizen(api, client, "elder", id_index=1)  # born 1949-12-31
    staff = await desk(settings)
    other_dept = await f.staff(settings, "window-ga", "window", "GA")

    asked = await client.post("/api/v1/visits", json=_ask(item), headers=elder.headers)
    assert asked.status_code == 201, asked.text
    visit = asked.json()
    assert (visit["status"], visit["actions"]) == ("requested", ["cancel"])
    assert visit["address"] == "广东省 广州市 海珠区 南华西街 12 号 3 楼"
    assert_error(
        await client.post("/api/v1/visits", json=_ask(item), headers=elder.headers),
        409,
        "VISIT_ALREADY_REQUESTED",
    )

    listed = (await client.get("/api/v1/staff/visits", headers=staff.window)).json()
    assert listed["total"] == 1 and listed["items"][0]["applicant_name"] == "张*丰"
    assert (await client.get("/api/v1/staff/visits", headers=other_dept)).json()["total"] == 0
    day = (clock.today() + timedelta(days=3)).isoformat()
    plan = {"date": day, "start": "09:00", "end": "11:00", "staff": ["陈静", "李明"]}
    url = f"/api/v1/staff/visits/{visit['id']}"
    assert_error(await client.post(f"{url}/schedule", json=plan, headers=other_dept), 404, "NOT_FOUND")
    backwards = await client.post(
        f"{url}/schedule", json={**plan, "start": "11:00", "end": "09:00"}, headers=staff.window
    )
    assert assert_error(backwards, 422, "VALIDATION_ERROR")["details"]["fields"]["body.end"]
    scheduled = await client.post(f"{url}/schedule", json=plan, headers=staff.window)
    assert scheduled.status_code == 200, scheduled.text
    assert (scheduled.json()["status"], scheduled.json()["window"]) == ("scheduled", "09:00–11:00")
    (told,) = await Notification.filter(user_id=elder.user_id, event="visit.scheduled")
    assert told.payload["date"] == day and told.payload["staff"] == "陈静、李明"
    mine = (await client.get(f"/api/v1/visits/{visit['id']}", headers=elder.headers)).json()
    assert (mine["scheduled_on"], mine["staff"]) == (day, ["陈静", "李明"])

    no_number = {"outcome": "accepted_on_site"}
    assert assert_error(
        await client.post(f"{url}/record", json=no_number, headers=staff.window), 422, "VALIDATION_ERROR"
    )
    done = await client.post(
        f"{url}/record", json={"outcome": "accepted_on_site", "case_number": "SC2026120300001",
                               "materials_taken": ["营业执照正副本"]}, headers=staff.window,
    )  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert_error(
        await client.post(f"/api/v1/visits/{visit['id']}/cancel", headers=elder.headers),
        409,
        "INVALID_TRANSITION",
    )

    period = {
        "since": (clock.today() - timedelta(days=1)).isoformat(),
        "until": (clock.today() + timedelta(days=1)).isoformat(),
    }
    figures = (await client.get("/api/v1/staff/visits/stats", params=period, headers=staff.window)).json()
    assert (figures["requested"], figures["done"], figures["accepted_on_site"], figures["open"]) == (
        1,
        1,
        1,
        0,
    )
    # today alone (China's day, whatever the hour in UTC) holds the visit asked for just now
    today = {"since": clock.today().isoformat(), "until": (clock.today() + timedelta(days=1)).isoformat()}
    alone = (await client.get("/api/v1/staff/visits/stats", params=today, headers=staff.window)).json()
    assert alone["requested"] == 1


async def test_who_may_ask_and_for_what(database_url, api, client, settings):
    item = await _visit_item()
    plain = await _visit_item("SC-SM-202", home_visit=False)
    young = await f.citizen(api, client, "young", id_index=0)  # born 1990
    staff = await desk(settings)
    stranger = await f.citizen(api, client, "stranger", id_index=2)

    assert_error(
        await client.post("/api/v1/visits", json=_ask(item), headers=young.headers), 409, "VISIT_NOT_ELIGIBLE"
    )
    assert_error(
        await client.post("/api/v1/visits", json=_ask(plain, "disability"), headers=young.headers),
        409,
        "VISIT_NOT_OFFERED",
    )
    far = _ask(item, "disability", preferred_days=[(clock.today() + timedelta(days=90)).isoformat()])
    assert assert_error(
        await client.post("/api/v1/visits", json=far, headers=young.headers), 422, "VALIDATION_ERROR"
    )

    # a declared disability waits for staff to confirm it, then is scheduled like any other
    asked = await client.post(
        "/api/v1/visits", json=_ask(item, "disability", reason_note="残疾证号 4401…"), headers=young.headers
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending_confirmation"
    url = f"/api/v1/staff/visits/{asked.json()['id']}"
    plan = {"date": clock.today().isoformat(), "start": "14:00", "end": "16:00", "staff": ["陈静"]}
    assert_error(
        await client.post(f"{url}/schedule", json=plan, headers=staff.window), 409, "INVALID_TRANSITION"
    )
    assert (await client.post(f"{url}/confirm", headers=staff.window)).json()["status"] == "requested"
    # another citizen sees nothing of it, and cannot cancel it
    assert_error(
        await client.get(f"/api/v1/visits/{asked.json()['id']}", headers=stranger.headers), 404, "NOT_FOUND"
    )
    assert_error(
        await client.post(f"/api/v1/visits/{asked.json()['id']}/cancel", headers=stranger.headers),
        404,
        "NOT_FOUND",
    )
    assert (await client.get("/api/v1/visits", headers=stranger.headers)).json()["total"] == 0
    # the citizen cancels; the clerk cannot schedule a cancelled visit
    assert (await client.post(f"/api/v1/visits/{asked.json()['id']}/cancel", headers=young.headers)).json()[
        "status"
    ] == "cancelled"
    assert_error(
        await client.post(f"{url}/schedule", json=plan, headers=staff.window), 409, "INVALID_TRANSITION"
    )
