"""The staff case detail over HTTP: allowed actions by status and role, the version filed under, the
materials table beside the files (requirement, 容缺 due dates, files replaced by a supplement), the
timeline with who did each step, and another department's clerk seeing none of it."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.staff_cases_fixtures import LIST, Hall, person, upload


async def filed(hall: Hall, *, tolerate: bool = False) -> tuple[f.Citizen, dict, dict[str, int]]:
    """A case of 张三丰 with a real upload per material (the photo left out under 容缺 when asked)."""
    clock.set_now(f.at(2026, 3, 2))
    who = await person(hall.api, hall.client, "zhang", "张三丰", "13812345678")
    uploads = {}
    for material in hall.ga.materials:
        if material.necessity == "optional" or (tolerate and material.name == "近期免冠照片"):
            continue
        uploads[material.name] = await upload(hall.client, who, f"{material.id}.png")
    body = {str(hall.ga.material(name).id): [uid] for name, uid in uploads.items()}
    extra = {"tolerate_missing": True} if tolerate else {}
    created = await f.submit(hall.client, who, hall.ga, materials=body, **extra)
    return who, created, uploads


async def test_allowed_actions_follow_the_status_and_the_role(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    _, created, _ = await filed(hall)
    case_id = created["id"]

    async def allowed(role: str) -> list[str]:
        body = await hall.detail(hall.staff[role], case_id)
        assert body["staff_actions"] == body["allowed_actions"]  # the deprecated alias
        return body["allowed_actions"]

    assert await allowed("window") == ["accept", "request_supplement", "not_accept"]
    assert await allowed("approver") == ["accept"]
    assert await allowed("supervisor") == []
    await hall.act("window", case_id, "accept")
    assert await allowed("window") == []
    assert await allowed("approver") == ["approve", "reject", "suspend"]
    await hall.act("approver", case_id, "suspend", {"reason": "专家评审"})
    assert await allowed("approver") == ["resume"]
    await hall.act("approver", case_id, "resume")
    await hall.act("approver", case_id, "approve")
    assert await allowed("window") == ["deliver"]
    assert await allowed("approver") == []


async def test_the_materials_table_of_the_version_beside_the_files(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    who, created, uploads = await filed(hall, tolerate=True)
    body = await hall.detail(hall.staff["window"], created["id"])
    assert body["item_version"] == {"id": hall.ga.version.id, "version": 1}
    rows = {row["name"]: row for row in body["materials"]}
    assert list(rows) == [m.name for m in hall.ga.materials]  # the guide's order, every material
    assert [rows[m.name]["requirement"] for m in hall.ga.materials] == [
        "required",
        "required",
        "tolerated",
        "tolerated",
        "optional",
    ]
    id_card = rows["居民身份证"]
    assert (id_card["missing"], id_card["due"], id_card["copies"]) == (False, None, 1)
    assert [file["upload_id"] for file in id_card["files"]] == [uploads["居民身份证"]]
    file = id_card["files"][0]
    assert (file["content_type"], file["replaced"], file["filename"]) == (
        "image/png",
        False,
        f"{hall.ga.material('居民身份证').id}.png",
    )
    assert file["size"] > 0 and file["uploaded_at"] and file["preview_url"].startswith("/api/v1/files/")
    # 容缺: the photo is owed, due on the date the case shows
    photo = rows["近期免冠照片"]
    assert photo["missing"] is True and photo["files"] == []
    assert photo["due"] == body["missing_due"] and photo["due"] is not None
    assert rows["其他说明材料"]["files"] == [] and rows["其他说明材料"]["missing"] is False

    # a supplement asked for the ID card again: the new file replaces the old one
    card = hall.ga.material("居民身份证").id
    await hall.act("window", created["id"], "request-supplement", {"missing": [card], "note": "身份证模糊"})
    asked = {
        row["name"]: row for row in (await hall.detail(hall.staff["window"], created["id"]))["materials"]
    }
    assert asked["居民身份证"]["missing"] is True and asked["居民身份证"]["due"] is not None
    fresh = await upload(client, who, "clear.png")
    photo_file = await upload(client, who, "photo.png")
    materials = {str(card): [fresh], str(hall.ga.material("近期免冠照片").id): [photo_file]}
    resp = await client.post(
        f"/api/v1/applications/{created['id']}/supplement", json={"materials": materials}, headers=who.headers
    )
    assert resp.status_code == 200, resp.text
    after = {
        row["name"]: row for row in (await hall.detail(hall.staff["window"], created["id"]))["materials"]
    }
    files = after["居民身份证"]["files"]
    assert [(x["upload_id"], x["replaced"]) for x in files] == [(uploads["居民身份证"], True), (fresh, False)]
    assert after["居民身份证"]["missing"] is False and after["居民身份证"]["due"] is None
    assert [(x["upload_id"], x["replaced"]) for x in after["近期免冠照片"]["files"]] == [(photo_file, False)]
    assert all(not x["replaced"] for x in after["户口簿"]["files"])


async def test_the_timeline_says_who_did_each_step(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    _, created, _ = await filed(hall)
    await hall.act("window", created["id"], "accept")
    await hall.act("approver", created["id"], "approve", {"note": "材料齐全"})
    timeline = (await hall.detail(hall.staff["supervisor"], created["id"]))["timeline"]
    assert [(e["status"], e["actor"]) for e in timeline] == [
        ("submitted", {"role": "citizen", "name": "申请人"}),
        ("accepted", {"role": "window", "name": "window-ga"}),
        ("approved", {"role": "approver", "name": "approver-ga"}),
    ]


async def test_another_departments_clerk_sees_nothing_and_each_view_is_audited(
    database_url, api, client, settings
):
    hall = await Hall(api, client, settings).setup()
    _, created, uploads = await filed(hall)
    case_id = created["id"]
    for role in ("window", "approver"):
        assert_error(await client.get(f"{LIST}/{case_id}", headers=hall.rs_staff[role]), 404, "NOT_FOUND")
    assert (await hall.listing(hall.rs_staff["window"], q=created["number"]))["items"] == []
    assert await AuditLog.filter(action="case.issue_previews").count() == 0  # no link for them

    await hall.detail(hall.staff["window"], case_id)
    await hall.detail(hall.staff["approver"], case_id)
    issued = await AuditLog.filter(action="case.issue_previews", object_id=str(case_id)).order_by("id")
    assert [row.actor_role for row in issued] == ["window", "approver"]  # once per view, not per file
    assert sorted(issued[0].details["upload_ids"]) == sorted(uploads.values())
