"""The transition table through the API: every forbidden move is 409, every wrong role 403."""

from __future__ import annotations

import asyncio

import pytest

from citizen_api.audit.models import AuditLog
from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.cases.transitions import STATUSES, TRANSITIONS, roles_for
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.conftest import assert_error

STAFF_ACTIONS = [
    "accept",
    "request_supplement",
    "not_accept",
    "suspend",
    "resume",
    "approve",
    "reject",
    "deliver",
]
CITIZEN_ACTIONS = ["supplement", "withdraw"]
STAFF_ROLES = ["window", "approver", "supervisor", "admin"]
# how to reach each status from a fresh submission: (who, action) steps
PATHS = {
    "submitted": [],
    "supplement_required": [("admin", "request_supplement")],
    "accepted": [("admin", "accept")],
    "suspended": [("admin", "accept"), ("admin", "suspend")],
    "approved": [("admin", "accept"), ("admin", "approve")],
    "rejected": [("admin", "accept"), ("admin", "reject")],
    "delivered": [("admin", "accept"), ("admin", "approve"), ("admin", "deliver")],
    "not_accepted": [("admin", "not_accept")],
    "withdrawn": [("citizen", "withdraw")],
}


class World:
    def __init__(self, api, client, settings) -> None:
        self.api, self.client, self.settings = api, client, settings

    async def setup(self) -> World:
        self.item = await f.published_item()
        self.alice = await f.citizen(self.api, self.client)
        self.staff = {role: await f.staff(self.settings, f"{role}-ga", role) for role in STAFF_ROLES}
        return self

    def body(self, action: str) -> dict:
        return {
            "request_supplement": {"missing": [self.item.material("户口簿").id], "note": "复印件不清晰"},
            "not_accept": {"reason": "不属于本部门受理范围"},
            "suspend": {"reason": "需要现场核查"},
            "reject": {"reason": "不符合迁入条件"},
            "deliver": {"channel": "window"},
            "supplement": {"materials": {str(self.item.material("户口簿").id): []}},
        }.get(action, {})

    async def do(self, who: str, case_id: int, action: str):
        if who == "citizen":
            path = f"/api/v1/applications/{case_id}/{action}"
            body = self.body(action)
            if action == "supplement":
                fresh = await f.upload(self.alice.user_id)
                body = {"materials": {str(self.item.material("户口簿").id): [fresh.id]}}
            return await self.client.post(path, json=body, headers=self.alice.headers)
        return await f.act(self.client, self.staff[who], case_id, action.replace("_", "-"), self.body(action))

    async def case_in(self, status: str) -> int:
        case_id = (await f.submit(self.client, self.alice, self.item))["id"]
        for who, action in PATHS[status]:
            resp = await self.do(who, case_id, action)
            assert resp.status_code == 200, resp.text
        assert (await Application.get(id=case_id)).status == status
        return case_id


@pytest.mark.parametrize("status", STATUSES)
async def test_every_move_not_in_the_table_is_refused(database_url, settings, api, client, status):
    world = await World(api, client, settings).setup()
    case_id = await world.case_in(status)
    entries = await TimelineEntry.filter(application_id=case_id).count()
    for action in STAFF_ACTIONS + CITIZEN_ACTIONS:
        if (status, action) in TRANSITIONS:
            continue
        who = "citizen" if action in CITIZEN_ACTIONS else "admin"
        resp = await world.do(who, case_id, action)
        # (a supplement to a submitted/accepted case is refused too: nothing is owed on it)
        error = assert_error(resp, 409, "INVALID_TRANSITION")
        assert error["details"]["from"] == status
        assert error["details"]["action"] == action
        assert isinstance(error["details"]["allowed"], list)
    # nothing moved, nothing recorded
    assert (await Application.get(id=case_id)).status == status
    assert await TimelineEntry.filter(application_id=case_id).count() == entries


SOURCE = {action: next(src for (src, name) in TRANSITIONS if name == action) for action in STAFF_ACTIONS}


@pytest.mark.parametrize("action", STAFF_ACTIONS)
async def test_role_matrix(database_url, settings, api, client, action):
    world = await World(api, client, settings).setup()
    allowed = roles_for(action)
    for role in STAFF_ROLES:
        case_id = await world.case_in(SOURCE[action])
        resp = await world.do(role, case_id, action)
        if role in allowed:
            assert resp.status_code == 200, f"{role} {action}: {resp.text}"
            assert resp.json()["status"] == TRANSITIONS[(SOURCE[action], action)].to
        else:
            assert_error(resp, 403, "FORBIDDEN")
            assert (await Application.get(id=case_id)).status == SOURCE[action]
    # citizens never reach staff endpoints
    case_id = await world.case_in(SOURCE[action])
    resp = await f.act(client, world.alice.headers, case_id, action.replace("_", "-"), world.body(action))
    assert_error(resp, 403, "FORBIDDEN")


async def test_each_transition_records_timeline_outbox_and_audit(database_url, settings, api, client):
    world = await World(api, client, settings).setup()
    case_id = await world.case_in("submitted")
    window = world.staff["window"]
    resp = await f.act(client, window, case_id, "request-supplement", world.body("request_supplement"))
    assert resp.status_code == 200, resp.text

    entry = await TimelineEntry.filter(application_id=case_id).order_by("-id").first()
    assert (entry.from_status, entry.to_status, entry.actor_role) == (
        "submitted",
        "supplement_required",
        "window",
    )
    assert "户口簿" in entry.note and "复印件不清晰" in entry.note
    note = await Notification.get(user_id=world.alice.user_id, event="case.supplement_required")
    assert note.payload["missing"] == ["户口簿"] and note.payload["status_text"] == "需补正材料"
    audit = await AuditLog.get(action="case.request_supplement", object_id=str(case_id))
    assert audit.details["from"] == "submitted" and audit.details["to"] == "supplement_required"

    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=world.alice.headers)).json()
    assert detail["status"] == "supplement_required"
    assert [m["name"] for m in detail["missing"]] == ["户口簿"]
    assert [t["status"] for t in detail["timeline"]] == ["submitted", "supplement_required"]

    # supplying an empty list for the requested material is the one-time notice again
    error = assert_error(
        await client.post(
            f"/api/v1/applications/{case_id}/supplement",
            json={
                "materials": {
                    str(world.item.material("结婚证").id): [(await f.upload(world.alice.user_id)).id]
                }
            },
            headers=world.alice.headers,
        ),
        422,
        "MATERIALS_MISSING",
    )
    assert [m["name"] for m in error["details"]["missing"]] == ["户口簿"]
    resp = await world.do("citizen", case_id, "supplement")
    assert resp.status_code == 200 and resp.json()["status"] == "submitted" and resp.json()["missing"] == []
    assert await Notification.filter(user_id=world.alice.user_id, event="case.submitted").count() == 2


async def test_other_citizens_and_departments_get_404(database_url, settings, api, client):
    world = await World(api, client, settings).setup()
    case_id = await world.case_in("submitted")
    bob = await f.citizen(api, client, "bob", phone="13900001111", id_index=1)
    for resp in (
        await client.get(f"/api/v1/applications/{case_id}", headers=bob.headers),
        await client.post(f"/api/v1/applications/{case_id}/withdraw", headers=bob.headers),
        await client.post(
            f"/api/v1/applications/{case_id}/supplement",
            json={"materials": {str(world.item.material("户口簿").id): [(await f.upload(bob.user_id)).id]}},
            headers=bob.headers,
        ),
    ):
        assert_error(resp, 404, "NOT_FOUND")
    assert (await client.get("/api/v1/applications", headers=bob.headers)).json()["total"] == 0

    rs_window = await f.staff(settings, "rs-window", "window", "RS")
    assert_error(
        await client.get(f"/api/v1/staff/applications/{case_id}", headers=rs_window), 404, "NOT_FOUND"
    )
    assert_error(await f.act(client, rs_window, case_id, "accept"), 404, "NOT_FOUND")
    listed = (await client.get("/api/v1/staff/applications", headers=rs_window)).json()
    assert listed["total"] == 0
    assert (await Application.get(id=case_id)).status == "submitted"


async def test_staff_detail_masks_identity_and_audits_the_read(database_url, settings, api, client):
    # issue 12: the detail is masked for every role; the full values come from POST …/reveal
    # (tests/test_cases_reveal.py)
    world = await World(api, client, settings).setup()
    case_id = await world.case_in("submitted")
    resp = await client.get(f"/api/v1/staff/applications/{case_id}", headers=world.staff["window"])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["applicant"] == {"name": "张*丰", "id_number": "110***********1239", "phone": "138****5678"}
    assert set(body["staff_actions"]) == {"accept", "request_supplement", "not_accept"}
    reads = await AuditLog.filter(action="case.read_detail", object_id=str(case_id)).count()
    await client.get(f"/api/v1/staff/applications/{case_id}", headers=world.staff["supervisor"])
    assert await AuditLog.filter(action="case.read_detail", object_id=str(case_id)).count() == reads + 1


async def test_post_delivery_stores_the_waybill(database_url, settings, api, client):
    world = await World(api, client, settings).setup()
    address = {
        "name": "张三丰",
        "phone": "13812345678",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "address": "深南大道 10000 号",
    }
    case_id = (await f.submit(client, world.alice, world.item, delivery=address))["id"]
    admin = world.staff["admin"]
    await f.act(client, admin, case_id, "accept")
    await f.act(client, admin, case_id, "approve")
    error = assert_error(
        await f.act(client, admin, case_id, "deliver", {"channel": "post"}), 422, "VALIDATION_ERROR"
    )
    assert "body.waybill" in error["details"]["fields"]
    resp = await f.act(
        client, admin, case_id, "deliver", {"channel": "post", "company": "ems", "waybill": "EA123456785CN"}
    )
    assert resp.status_code == 200, resp.text
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=world.alice.headers)).json()
    # posted is not delivered: the case turns delivered when the courier reports it signed for
    assert detail["status"] == "approved"
    assert detail["delivery"]["channel"] == "post" and detail["delivery"]["waybill"] == "EA123456785CN"
    assert any("EA123456785CN" in (entry.get("note") or "") for entry in detail["timeline"])
    again = await f.act(
        client, admin, case_id, "deliver", {"channel": "post", "company": "ems", "waybill": "EA123456799CN"}
    )
    assert_error(again, 409, "ALREADY_MAILED")


async def test_two_clerks_at_once_move_a_case_once(postgres_url, tmp_path, wechat_sim):
    import httpx
    from asgi_lifespan import LifespanManager

    from citizen_api.app import create_app
    from tests.conftest import Api, make_settings

    settings = make_settings(tmp_path, postgres_url, wechat_sim.base_url)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            world = await World(Api(client), client, settings).setup()
            second = await f.staff(world.settings, "window-2", "window")
            case_id = await world.case_in("submitted")
            results = await asyncio.gather(
                f.act(client, world.staff["window"], case_id, "accept"),
                f.act(client, second, case_id, "not-accept", {"reason": "材料不实"}),
                f.act(client, world.staff["approver"], case_id, "accept"),
            )
            statuses = sorted(r.status_code for r in results)
            assert statuses == [200, 409, 409], [r.text for r in results]
            entries = await TimelineEntry.filter(application_id=case_id, from_status="submitted").count()
            assert entries == 1


async def test_staff_open_a_cases_material_and_the_read_is_audited(database_url, settings, api, client):
    from tests import uploads_fixtures as files

    world = await World(api, client, settings).setup()
    content = files.pdf(5000)
    sent = await client.post(
        "/api/v1/uploads",
        files={"file": ("户口簿.pdf", content, "application/pdf")},
        headers=world.alice.headers,
    )
    assert sent.status_code == 201, sent.text
    upload_id = sent.json()["id"]
    materials = await f.full_materials(world.alice, world.item)
    materials[str(world.item.material("户口簿").id)] = [upload_id]
    case_id = (await f.submit(client, world.alice, world.item, materials=materials))["id"]
    url = f"/api/v1/staff/applications/{case_id}/materials/{upload_id}"

    resp = await client.get(url, headers=world.staff["window"])
    assert resp.status_code == 200 and resp.content == content
    audit = await AuditLog.get(action="case.read_material", object_id=str(case_id))
    assert audit.details["upload_id"] == upload_id and audit.actor_role == "window"

    # another department's clerk, a file that is not this case's, a citizen: nothing to see
    rs_window = await f.staff(settings, "rs-window", "window", "RS")
    assert_error(await client.get(url, headers=rs_window), 404, "NOT_FOUND")
    other = (await f.upload(world.alice.user_id)).id
    assert_error(
        await client.get(
            f"/api/v1/staff/applications/{case_id}/materials/{other}", headers=world.staff["window"]
        ),
        404,
        "NOT_FOUND",
    )
    assert_error(await client.get(url, headers=world.alice.headers), 403, "FORBIDDEN")
    assert await AuditLog.filter(action="case.read_material").count() == 1
