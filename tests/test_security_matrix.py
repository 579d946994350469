"""Security matrix over the served OpenAPI spec, so a new route cannot slip past it.

- every ``/staff/*`` and ``/admin/*`` operation: anonymous → 401, a citizen → 403;
- every citizen operation on an object (``{id}`` in the path): another citizen's object → 404,
  exactly as an id that does not exist (no way to learn that it exists).

The objects belong to Bob and are made through the API; Alice tries them all with valid bodies, so
that a 422 cannot hide a missing ownership check.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from citizen_api import clock
from citizen_api.appointments.models import LotteryDraw, Slot
from citizen_api.catalog.models import ItemVersion
from tests import cases_fixtures
from tests.appointments_fixtures import make_hall
from tests.conftest import assert_error
from tests.licences_fixtures import approved as approved_case
from tests.licences_fixtures import desk, licence_item, wallet
from tests.test_degradation import first_open_slot

PLACEHOLDERS = {"id": "1", "upload_id": "1", "code": "GA-HJ-001", "version": "1", "date": "2026-12-01"}
# 效能考评: a month, a level and the key of a score
PLACEHOLDERS |= {"month": "2026-10", "level": "department", "key": "GA"}
ADDRESS = {
    "name": "王五",
    "phone": "13712345678",
    "province": "广东省",
    "city": "广州市",
    "address": "天河路1号",
}


async def spec(client: httpx.AsyncClient) -> dict:
    resp = await client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.json()


def operations(openapi: dict):
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path, op


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


async def test_staff_and_admin_routes_refuse_anonymous_and_citizens(client, api):
    citizen = await api.citizen_headers("alice")
    checked = 0
    for method, path, op in operations(await spec(client)):
        if not path.startswith(("/api/v1/staff/", "/api/v1/admin/")):
            continue
        assert op.get("security"), f"{method} {path} is documented as public"
        url = fill(path, PLACEHOLDERS)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        anonymous = await client.request(method, url, json=body)
        assert anonymous.status_code == 401, f"{method} {path}: {anonymous.status_code} {anonymous.text}"
        assert_error(anonymous, 401, "UNAUTHENTICATED")
        forbidden = await client.request(method, url, json=body, headers=citizen)
        assert forbidden.status_code == 403, f"{method} {path}: {forbidden.status_code} {forbidden.text}"
        assert_error(forbidden, 403, "FORBIDDEN")
        checked += 1
    assert checked >= 40, checked  # the walk really saw the staff API


async def bobs_objects(client, api, settings) -> dict[str, int]:
    """Bob's upload, case, decided and rated case, booking and waiting-list entry, made through the API."""
    item = await cases_fixtures.published_item()
    bob = await cases_fixtures.citizen(api, client, "bob", phone="13800001111", id_index=1)
    case = await cases_fixtures.submit(client, bob, item)

    done = await cases_fixtures.submit(client, bob, item)
    window = await cases_fixtures.staff(settings, "clerk", "window")
    approver = await cases_fixtures.staff(settings, "boss", "approver")
    assert (await cases_fixtures.act(client, window, done["id"], "accept")).status_code == 200
    approved = await cases_fixtures.act(client, approver, done["id"], "approve", {"note": "同意"})
    assert approved.status_code == 200, approved.text
    rated = await client.post(
        f"/api/v1/applications/{done['id']}/rating", json={"level": 5}, headers=bob.headers
    )
    assert rated.status_code == 201, rated.text

    # one place per slot: Carol takes it, so Bob's second try lands on the waiting list
    hall = await make_hall(
        weekday_periods=[{"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 1}]
    )
    slot_id = await first_open_slot(client, hall.item.code)
    booking = {"slot_id": slot_id, "item_code": hall.item.code}
    carol = await cases_fixtures.citizen(api, client, "carol", phone="13800002222", id_index=2)
    assert (await client.post("/api/v1/appointments", json=booking, headers=carol.headers)).status_code == 201
    waiting = await client.post("/api/v1/appointments/waitlist", json=booking, headers=bob.headers)
    assert waiting.status_code == 201, waiting.text
    slot_id = await first_open_slot(client, hall.item.code)
    booking = {"slot_id": slot_id, "item_code": hall.item.code}
    booked = await client.post("/api/v1/appointments", json=booking, headers=bob.headers)
    assert booked.status_code == 201, booked.text
    # and a lottery registration: the day's remaining places given to a draw (an admin's row) after that
    day, now = (await Slot.get(id=slot_id)).date, clock.now()
    window = dict(
        registration_opens_at=now - timedelta(hours=1), registration_closes_at=now + timedelta(hours=1)
    )
    await LotteryDraw.create(
        group=hall.group,
        date=day,
        scope_key="bob",
        draw_at=now + timedelta(hours=1),
        seed="s",
        seed_hash="h",
        **window,
    )
    lottery = {"item_code": hall.item.code, "date": day.isoformat()}
    registered = await client.post("/api/v1/appointments/lottery", json=lottery, headers=bob.headers)
    assert registered.status_code == 201, registered.text
    # and an authorisation (代办) Bob gave someone
    agent = {"name": "李建国", "id_number": "440308198801010010", "phone": "13700002222", "items": None}
    until = (clock.today() + timedelta(days=30)).isoformat()
    authorised = await client.post(
        "/api/v1/me/authorisations", json={**agent, "until": until}, headers=bob.headers
    )
    assert authorised.status_code == 201, authorised.text
    # and an e-licence (电子证照) issued to Bob, used with his consent in a later case
    issuing = await licence_item("SC-GT-009", "个体工商户设立登记", issues="business_licence")
    seal = await licence_item(
        "SC-GZ-009", "公章刻制备案", materials=[("营业执照", "required", "business_licence")]
    )
    await approved_case(client, bob, issuing, await desk(settings))
    (licence,) = (await wallet(client, bob))["items"]
    by_licence = {str(seal.materials[0].id): licence["id"]}
    used = await cases_fixtures.submit(client, bob, seal, materials={}, licences=by_licence)
    consents = (await client.get("/api/v1/me/licence-consents", headers=bob.headers)).json()
    # and a home visit (上门服务): Bob is 76 by his ID number
    await ItemVersion.filter(id=seal.version.id).update(guide={"home_visit": True})
    soon = (clock.today() + timedelta(days=3)).isoformat()
    address = {"name": "李四", "phone": "13800001111", "province": "广东省", "city": "广州市"}
    address |= {"district": "海珠区", "address": "南华西街 1 号"}
    ask = {"item_code": seal.code, "reason": "age", "address": address, "preferred_days": [soon]}
    visit = await client.post("/api/v1/visits", json=ask, headers=bob.headers)
    assert visit.status_code == 201, visit.text
    return {
        "visit": visit.json()["id"],
        "licence": licence["id"],
        "consent": consents["items"][0]["id"],
        "filed_form": used["id"],
        "authorisation": authorised.json()["id"],
        "lottery": registered.json()["id"],
        "upload": bob.uploads[0].id,
        "application": case["id"],
        "decided": done["id"],
        "rating": rated.json()["id"],
        "appointment": booked.json()["id"],
        "waitlist": waiting.json()["id"],
    }


# Citizen operations on an object: which of Bob's objects to aim at, and a body that is valid.
OBJECT_CALLS: dict[tuple[str, str], tuple[str, dict | None]] = {
    ("GET", "/api/v1/uploads/{id}"): ("upload", None),
    ("GET", "/api/v1/uploads/{id}/content"): ("upload", None),
    ("GET", "/api/v1/applications/{id}"): ("application", None),
    ("POST", "/api/v1/applications/{id}/supplement"): ("application", {"materials": {}}),
    ("POST", "/api/v1/applications/{id}/withdraw"): ("application", None),
    ("PUT", "/api/v1/applications/{id}/delivery"): ("decided", ADDRESS),
    ("GET", "/api/v1/applications/{id}/delivery"): ("decided", None),
    ("GET", "/api/v1/applications/{id}/locker"): ("decided", None),
    ("GET", "/api/v1/applications/{id}/form"): ("filed_form", None),
    ("GET", "/api/v1/me/licences/{id}"): ("licence", None),
    ("GET", "/api/v1/visits/{id}"): ("visit", None),
    ("POST", "/api/v1/visits/{id}/cancel"): ("visit", None),
    ("POST", "/api/v1/me/licences/{id}/verification"): ("licence", None),
    ("POST", "/api/v1/me/licence-consents/{id}/revoke"): ("consent", None),
    ("POST", "/api/v1/applications/{id}/mail-in"): (
        "application",
        {"company": "ems", "waybill": "EA123456789CN"},
    ),
    ("POST", "/api/v1/applications/{id}/rating"): ("decided", {"level": 5}),
    ("PUT", "/api/v1/applications/{id}/rating"): ("decided", {"level": 5}),
    ("GET", "/api/v1/applications/{id}/rating"): ("decided", None),
    ("GET", "/api/v1/appointments/{id}"): ("appointment", None),
    ("POST", "/api/v1/appointments/{id}/cancel"): ("appointment", None),
    ("POST", "/api/v1/appointments/{id}/rating"): ("appointment", {"level": 5}),
    ("POST", "/api/v1/appointments/waitlist/{id}/leave"): ("waitlist", None),
    ("GET", "/api/v1/appointments/lottery/{id}"): ("lottery", None),
    ("POST", "/api/v1/ratings/{id}/rectification/verdict"): ("rating", {"verdict": "satisfied"}),
    ("POST", "/api/v1/me/authorisations/{id}/revoke"): ("authorisation", None),
}


async def test_another_citizens_objects_are_404(client, api, settings):
    objects = await bobs_objects(client, api, settings)
    alice = await api.citizen_headers("alice")
    seen = set()
    for method, path, op in operations(await spec(client)):
        if (
            "{id}" not in path
            or path.startswith(("/api/v1/staff/", "/api/v1/admin/"))
            or not op.get("security")
        ):
            continue
        assert (method, path) in OBJECT_CALLS, f"{method} {path}: add it to the security matrix"
        seen.add((method, path))
        kind, body = OBJECT_CALLS[(method, path)]
        resp = await client.request(method, fill(path, {"id": str(objects[kind])}), json=body, headers=alice)
        assert resp.status_code == 404, f"{method} {path} on Bob's {kind}: {resp.status_code} {resp.text}"
        assert_error(resp, 404, "NOT_FOUND")
        missing = await client.request(method, fill(path, {"id": "999999"}), json=body, headers=alice)
        assert missing.status_code == 404 and missing.json() == resp.json(), (
            f"{method} {path} tells them apart"
        )
    assert seen == set(OBJECT_CALLS), set(OBJECT_CALLS) - seen  # no stale rows in the table

    # and nothing of Bob's shows in Alice's lists
    for url in (
        "/api/v1/applications",
        "/api/v1/appointments",
        "/api/v1/appointments/waitlist",
        "/api/v1/appointments/lottery",
        "/api/v1/me/authorisations",
        "/api/v1/me/principals",
    ):
        listed = (await client.get(url, headers=alice)).json()
        items = listed["items"] if isinstance(listed, dict) else listed
        assert items == [], f"{url}: {items}"


# 三级便民服务: a village point's 代办员 reaches the point endpoints only; every other staff and admin
# operation answers them 403 as it answers a citizen (and no hall role reaches the agent's own).
VILLAGE_AGENT_CALLS = {
    ("GET", "/api/v1/staff/points/me"),
    ("GET", "/api/v1/staff/point-filings"),
    ("POST", "/api/v1/staff/point-filings"),
    ("GET", "/api/v1/staff/point-deliveries"),
    ("POST", "/api/v1/staff/point-deliveries/{id}/hand-over"),
    ("GET", "/api/v1/staff/points/stats"),
}


async def test_a_village_agent_reaches_only_the_point_endpoints(client, settings):
    from tests.points_fixtures import new_agent, setup

    points = await setup(client, settings)
    _, agent = await new_agent(client, points.admin, settings, "matrix-agent", "DC")
    reached = set()
    for method, path, _ in operations(await spec(client)):
        if not path.startswith(("/api/v1/staff/", "/api/v1/admin/")):
            continue
        body = {} if method in ("POST", "PUT", "PATCH") else None
        resp = await client.request(method, fill(path, PLACEHOLDERS), json=body, headers=agent)
        if (method, path) in VILLAGE_AGENT_CALLS:
            assert resp.status_code != 403 or resp.json()["error"]["code"] != "FORBIDDEN", f"{method} {path}"
            reached.add((method, path))
        else:
            assert resp.status_code == 403, f"{method} {path}: {resp.status_code} {resp.text}"
            assert_error(resp, 403, "FORBIDDEN")
    assert reached == VILLAGE_AGENT_CALLS
