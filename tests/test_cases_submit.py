"""Filing a case: 一次性告知, 容缺受理, the citizen's own uploads only, profile, size cap, reuse."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.catalog.models import ServiceItem
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.conftest import assert_error


async def test_one_time_notice_lists_every_missing_material(database_url, api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client)
    # only the ID card: both required and both tolerated materials are missing
    id_card = await f.upload(alice.user_id)
    resp = await client.post(
        "/api/v1/applications",
        json={"item_code": item.code, "materials": {str(item.material("居民身份证").id): [id_card.id]}},
        headers=alice.headers,
    )
    error = assert_error(resp, 422, "MATERIALS_MISSING")
    missing = error["details"]["missing"]
    assert [m["name"] for m in missing] == ["户口簿", "近期免冠照片", "结婚证"]
    assert {m["name"]: m["tolerable"] for m in missing} == {
        "户口簿": False,
        "近期免冠照片": True,
        "结婚证": True,
    }
    assert error["details"]["can_tolerate"] is False
    for name in ("户口簿", "近期免冠照片", "结婚证"):
        assert name in error["message"]
    # an empty upload list is as missing as an absent key
    resp = await client.post(
        "/api/v1/applications",
        json={"item_code": item.code, "materials": {str(item.material("户口簿").id): []}},
        headers=alice.headers,
    )
    assert len(assert_error(resp, 422, "MATERIALS_MISSING")["details"]["missing"]) == 4
    assert await Application.all().count() == 0


async def test_complete_submission_creates_case_with_timeline_and_notice(database_url, api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client)
    created = await f.submit(client, alice, item)
    assert created["status"] == "submitted"
    assert created["number"].startswith("GA") and len(created["number"]) == 2 + 8 + 6

    detail = (await client.get(f"/api/v1/applications/{created['id']}", headers=alice.headers)).json()
    assert detail["number"] == created["number"]
    assert detail["item"] == {"code": item.code, "name": "户口迁移"}
    assert detail["missing"] == [] and detail["deadline"] is None and detail["warning"] == "none"
    assert [t["status"] for t in detail["timeline"]] == ["submitted"]
    assert sorted(m["name"] for m in detail["materials"]) == [
        "居民身份证",
        "户口簿",
        "结婚证",
        "近期免冠照片",
    ]
    assert detail["rating"] is None and detail["delivery"] is None
    # the item offers free post and nothing is owed: withdraw, give an address, complain
    assert detail["actions"] == ["withdraw", "set_delivery", "complain"]

    note = await Notification.get(user_id=alice.user_id, event="case.submitted")
    assert note.payload["number"] == created["number"] and note.payload["status_text"]
    assert (await ServiceItem.get(id=item.item.id)).applications in (0, 1)  # catalog counter, if present
    listed = (await client.get("/api/v1/applications", headers=alice.headers)).json()
    assert listed["total"] == 1 and listed["items"][0]["number"] == created["number"]


async def test_tolerated_materials_may_follow_but_block_approval(database_url, settings, api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client)
    materials = await f.full_materials(alice, item, skip=("近期免冠照片", "结婚证"))
    # without 容缺 the tolerable ones are still missing, and the answer says 容缺 would do
    resp = await client.post(
        "/api/v1/applications", json={"item_code": item.code, "materials": materials}, headers=alice.headers
    )
    error = assert_error(resp, 422, "MATERIALS_MISSING")
    assert error["details"]["can_tolerate"] is True

    clock.set_now(f.at(2026, 9, 30))
    created = await f.submit(client, alice, item, materials=materials, tolerate_missing=True)
    case_id = created["id"]
    detail = (await client.get(f"/api/v1/applications/{case_id}", headers=alice.headers)).json()
    assert {m["name"] for m in detail["missing"]} == {"近期免冠照片", "结婚证"}
    assert all(m["tolerable"] for m in detail["missing"])
    # five working days across 国庆 (and the make-up Saturday 10-10)
    assert detail["missing_due"] == "2026-10-13"
    assert "supplement" in detail["actions"]

    window = await f.staff(settings, "w1", "window")
    approver = await f.staff(settings, "a1", "approver")
    assert (await f.act(client, window, case_id, "accept")).status_code == 200
    outstanding = assert_error(
        await f.act(client, approver, case_id, "approve"), 409, "MATERIALS_OUTSTANDING"
    )
    assert {m["name"] for m in outstanding["details"]["missing"]} == {"近期免冠照片", "结婚证"}

    # the citizen hands one in: no status change, the other is still owed
    photo = await f.upload(alice.user_id)
    resp = await client.post(
        f"/api/v1/applications/{case_id}/supplement",
        json={"materials": {str(item.material("近期免冠照片").id): [photo.id]}},
        headers=alice.headers,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "accepted"
    assert [m["name"] for m in resp.json()["missing"]] == ["结婚证"]
    assert_error(await f.act(client, approver, case_id, "approve"), 409, "MATERIALS_OUTSTANDING")

    cert = await f.upload(alice.user_id)
    resp = await client.post(
        f"/api/v1/applications/{case_id}/supplement",
        json={"materials": {str(item.material("结婚证").id): [cert.id]}},
        headers=alice.headers,
    )
    assert resp.json()["missing"] == [] and resp.json()["missing_due"] is None
    approved = await f.act(client, approver, case_id, "approve", {"note": "准予迁入"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"


async def test_profile_must_be_complete(database_url, api, client):
    item = await f.published_item()
    headers = await api.citizen_headers("nobody")
    resp = await client.post(
        "/api/v1/applications", json={"item_code": item.code, "materials": {}}, headers=headers
    )
    error = assert_error(resp, 409, "PROFILE_INCOMPLETE")
    assert set(error["details"]["missing"]) == {"name", "id_number", "phone"}


async def test_uploads_must_be_the_citizens_own(database_url, api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client, "alice")
    bob = await f.citizen(api, client, "bob", phone="13900001111", id_index=1)
    materials = await f.full_materials(alice, item)
    bobs = await f.upload(bob.user_id)
    materials[str(item.material("户口簿").id)] = [bobs.id]
    resp = await client.post(
        "/api/v1/applications", json={"item_code": item.code, "materials": materials}, headers=alice.headers
    )
    theirs = assert_error(resp, 404, "NOT_FOUND")
    materials[str(item.material("户口簿").id)] = [999_999]
    nonexistent = assert_error(
        await client.post(
            "/api/v1/applications",
            json={"item_code": item.code, "materials": materials},
            headers=alice.headers,
        ),
        404,
        "NOT_FOUND",
    )
    # indistinguishable: nothing tells alice that bob's upload exists
    assert theirs["message"] == nonexistent["message"]
    assert theirs["details"] == {"upload_ids": [bobs.id]} and nonexistent["details"] == {
        "upload_ids": [999_999]
    }


async def test_unknown_item_material_and_size_cap(database_url, api, client, settings):
    item = await f.published_item()
    other = await f.published_item("RS-SB-001", dept="RS", name="社保转移")
    alice = await f.citizen(api, client)
    assert_error(
        await client.post(
            "/api/v1/applications", json={"item_code": "NOPE", "materials": {}}, headers=alice.headers
        ),
        404,
        "NOT_FOUND",
    )
    materials = await f.full_materials(alice, item)
    materials[str(other.materials[0].id)] = [alice.uploads[0].id]
    error = assert_error(
        await client.post(
            "/api/v1/applications",
            json={"item_code": item.code, "materials": materials},
            headers=alice.headers,
        ),
        422,
        "VALIDATION_ERROR",
    )
    assert f"body.materials.{other.materials[0].id}" in error["details"]["fields"]

    huge = await f.upload(alice.user_id, size=settings.case_max_total_upload_bytes)
    materials = await f.full_materials(alice, item)
    materials[str(item.material("居民身份证").id)].append(huge.id)
    error = assert_error(
        await client.post(
            "/api/v1/applications",
            json={"item_code": item.code, "materials": materials},
            headers=alice.headers,
        ),
        422,
        "MATERIALS_TOO_LARGE",
    )
    assert error["details"]["max_bytes"] == settings.case_max_total_upload_bytes


async def test_delivery_address_is_stored_encrypted_and_shown_masked(database_url, api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client)
    address = {
        "name": "张三丰",
        "phone": "13812345678",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "address": "科技园南区深南大道 10000 号",
    }
    created = await f.submit(client, alice, item, delivery=address)
    row = await Application.get(id=created["id"])
    assert "深南大道" not in (row.delivery_address_enc or "") and row.delivery_address_enc
    detail = (await client.get(f"/api/v1/applications/{created['id']}", headers=alice.headers)).json()
    shown = detail["delivery"]["address"]
    assert (
        shown["phone"] == "138****5678" and shown["city"] == "深圳市" and "深南大道" not in shown["address"]
    )
    bad = dict(address, phone="12345")
    error = assert_error(
        await client.post(
            "/api/v1/applications",
            json={"item_code": item.code, "materials": await f.full_materials(alice, item), "delivery": bad},
            headers=alice.headers,
        ),
        422,
        "VALIDATION_ERROR",
    )
    assert "body.delivery.phone" in error["details"]["fields"]
    # the same division check as PUT /applications/{id}/delivery
    nowhere = dict(address, district="不存在区")
    error = assert_error(
        await client.post(
            "/api/v1/applications",
            json={
                "item_code": item.code,
                "materials": await f.full_materials(alice, item),
                "delivery": nowhere,
            },
            headers=alice.headers,
        ),
        422,
        "VALIDATION_ERROR",
    )
    assert "body.delivery.district" in error["details"]["fields"]
    hall_only = await f.published_item("GA-HJ-009", name="户口登记项目变更", deliverable=False)
    assert_error(
        await client.post(
            "/api/v1/applications",
            json={
                "item_code": hall_only.code,
                "materials": await f.full_materials(alice, hall_only),
                "delivery": address,
            },
            headers=alice.headers,
        ),
        409,
        "DELIVERY_NOT_OFFERED",
    )


async def test_reuse_of_accepted_materials(database_url, settings, api, client):
    first_item = await f.published_item()
    second_item = await f.published_item(
        "GA-SFZ-002",
        name="身份证换领",
        materials=[("居民身份证", "required", "id_card"), ("照片", "required", "photo")],
    )
    alice = await f.citizen(api, client)
    bob = await f.citizen(api, client, "bob", phone="13900001111", id_index=1)
    window = await f.staff(settings, "w1", "window")

    created = await f.submit(client, alice, first_item)
    offered = (
        await client.get(
            "/api/v1/applications/reusable-materials",
            params={"item_code": second_item.code},
            headers=alice.headers,
        )
    ).json()
    # nothing accepted yet: nothing offered
    assert all(m["uploads"] == [] for m in offered["materials"])

    await f.act(client, window, created["id"], "accept")
    offered = (
        await client.get(
            "/api/v1/applications/reusable-materials",
            params={"item_code": second_item.code},
            headers=alice.headers,
        )
    ).json()
    by_kind = {m["kind"]: m for m in offered["materials"]}
    id_card_upload = alice.uploads[0].id
    assert [u["id"] for u in by_kind["id_card"]["uploads"]] == [id_card_upload]
    assert by_kind["id_card"]["uploads"][0]["case_number"] == created["number"]
    assert len(by_kind["photo"]["uploads"]) == 1

    # bob sees none of alice's
    for_bob = (
        await client.get(
            "/api/v1/applications/reusable-materials",
            params={"item_code": second_item.code},
            headers=bob.headers,
        )
    ).json()
    assert all(m["uploads"] == [] for m in for_bob["materials"])

    # filing with the offered uploads works without uploading again
    reused = {str(m["material_id"]): [m["uploads"][0]["id"]] for m in offered["materials"]}
    again = await f.submit(client, alice, second_item, materials=reused)
    assert again["status"] == "submitted"
    assert await TimelineEntry.filter(application_id=again["id"]).count() == 1
