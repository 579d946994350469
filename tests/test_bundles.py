"""一件事一次办: a bundle of three departments' items from its definition to done, through the real API.

The citizen files once (the shared ID card uploaded once, attached to every child), each department
handles its own child case (one asks for a 补正), the citizen follows one progress, gets one message
per step that matters, and rates the bundle once (each child's rating recorded exactly once).
"""

from __future__ import annotations

from citizen_api.cases.models import ApplicationMaterial
from notifications import rules
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.conftest import assert_error

API = "/api/v1"
GA_MATERIALS = [
    ("居民身份证", "required", "id_card"),
    ("出生医学证明", "required", "birth_cert"),
    ("户口登记申请表", "required", "application_form"),
]
RS_MATERIALS = [("居民身份证", "required", "id_card"), ("数码照片回执", "required", "photo_receipt")]
YB_MATERIALS = [
    ("居民身份证", "required", "id_card"),
    ("参保登记表", "required", "application_form"),
    ("其他说明", "optional", ""),
]


async def _three_items():
    ga = await f.published_item("GA-B-1", dept="GA", name="出生登记", materials=GA_MATERIALS)
    rs = await f.published_item(
        "RS-B-1", dept="RS", name="社会保障卡申领", materials=RS_MATERIALS, promised_days=10
    )
    yb = await f.published_item("YB-B-1", dept="YB", name="城乡居民医保参保登记", materials=YB_MATERIALS)
    return ga, rs, yb


async def _bundle(client, settings, items, code="birth", publish=True) -> dict[str, str]:
    admin = await f.staff(settings, f"admin-{code}", "admin", None)
    resp = await client.post(
        f"{API}/staff/bundles",
        json={"code": code, "name": "出生一件事", "items": [i.code for i in items]},
        headers=admin,
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["status"] == "draft"
    if publish:
        resp = await client.post(f"{API}/staff/bundles/{code}/publish", headers=admin)
        assert resp.status_code == 200 and resp.json()["status"] == "published", resp.text
    return admin


def _told(rows: list[Notification]) -> list[str]:
    """The events the dispatcher's rules let through to the citizen (the others are skipped)."""
    return [r.event for r in rows if rules.decide(r.event, r.audience, r.payload)[1] is None]


async def test_bundle_from_submission_to_done_with_one_supplement(database_url, settings, api, client):
    ga, rs, yb = await _three_items()
    await _bundle(client, settings, [ga, rs, yb])

    listed = (await client.get(f"{API}/bundles")).json()
    assert listed[0]["code"] == "birth" and listed[0]["items"] == [ga.code, rs.code, yb.code]
    assert listed[0]["departments"] == ["GA", "RS", "YB"] and listed[0]["promised_days"] == 10
    guide = (await client.get(f"{API}/bundles/birth")).json()
    names = [m["name"] for m in guide["materials"]]
    # the ID card once for three items; the two items' application forms merged into one form
    assert names == ["居民身份证", "出生医学证明", "《出生一件事联办申请表》", "数码照片回执", "其他说明"]
    by_name = {m["name"]: m for m in guide["materials"]}
    assert by_name["居民身份证"]["items"] == [ga.code, rs.code, yb.code]
    assert by_name["《出生一件事联办申请表》"]["items"] == [ga.code, yb.code]
    assert [i["department"] for i in guide["guide_items"]] == ["GA", "RS", "YB"]

    alice = await f.citizen(api, client)
    # 一次性告知: every missing material of the merged list in one answer
    only_id = await f.upload(alice.user_id)
    resp = await client.post(
        f"{API}/applications",
        json={"bundle_code": "birth", "materials": {str(by_name["居民身份证"]["id"]): [only_id.id]}},
        headers=alice.headers,
    )
    missing = assert_error(resp, 422, "MATERIALS_MISSING")["details"]["missing"]
    assert [m["name"] for m in missing] == ["出生医学证明", "《出生一件事联办申请表》", "数码照片回执"]

    uploads = {name: await f.upload(alice.user_id) for name in names if name != "其他说明"}
    materials = {str(by_name[n]["id"]): [u.id] for n, u in uploads.items()}
    resp = await client.post(
        f"{API}/applications", json={"bundle_code": "birth", "materials": materials}, headers=alice.headers
    )
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["status"] == "submitted" and created["number"].startswith("YJS")
    children = {c["department"]: c for c in created["children"]}
    assert sorted(children) == ["GA", "RS", "YB"]
    assert {c["item_code"] for c in created["children"]} == {ga.code, rs.code, yb.code}
    bundle_id = created["id"]
    assert bundle_id not in {c["id"] for c in created["children"]}

    # the ID card uploaded once is attached to every child; the merged form to both items needing it
    id_rows = await ApplicationMaterial.filter(upload_id=uploads["居民身份证"].id)
    assert sorted(r.application_id for r in id_rows) == sorted(c["id"] for c in created["children"])
    form_rows = await ApplicationMaterial.filter(upload_id=uploads["《出生一件事联办申请表》"].id)
    assert sorted(r.application_id for r in form_rows) == sorted([children["GA"]["id"], children["YB"]["id"]])

    # one entry in the citizen's list, the children inside it
    mine = (await client.get(f"{API}/applications", headers=alice.headers)).json()
    assert mine["total"] == 1 and mine["items"][0]["kind"] == "bundle"
    assert len(mine["items"][0]["children"]) == 3

    ga_window = await f.staff(settings, "ga-window", "window", "GA")
    rs_window = await f.staff(settings, "rs-window", "window", "RS")
    yb_window = await f.staff(settings, "yb-window", "window", "YB")
    photo = rs.material("数码照片回执")
    assert (await f.act(client, ga_window, children["GA"]["id"], "accept")).status_code == 200
    resp = await f.act(
        client,
        rs_window,
        children["RS"]["id"],
        "request-supplement",
        {"missing": [photo.id], "note": "照片不清晰"},
    )
    assert resp.status_code == 200, resp.text
    assert (await f.act(client, yb_window, children["YB"]["id"], "accept")).status_code == 200

    detail = (await client.get(f"{API}/applications/{bundle_id}", headers=alice.headers)).json()
    assert detail["kind"] == "bundle" and detail["status"] == "supplement_required"
    assert [c["status"] for c in detail["children"]] == ["accepted", "supplement_required", "accepted"]
    assert [(m["id"], m["child_id"]) for m in detail["missing"]] == [
        (by_name["数码照片回执"]["id"], children["RS"]["id"])
    ]
    assert "supplement" in detail["actions"] and "rate" not in detail["actions"]
    resp = await client.post(
        f"{API}/applications/{bundle_id}/rating", json={"level": 5}, headers=alice.headers
    )
    assert_error(resp, 409, "NOT_FINISHED")

    # the supplement on the bundle goes to the child that asked
    new_photo = await f.upload(alice.user_id)
    resp = await client.post(
        f"{API}/applications/{bundle_id}/supplement",
        json={"materials": {str(by_name["数码照片回执"]["id"]): [new_photo.id]}},
        headers=alice.headers,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "submitted"
    assert await ApplicationMaterial.filter(upload_id=new_photo.id).values_list(
        "application_id", flat=True
    ) == [children["RS"]["id"]]
    assert (await f.act(client, rs_window, children["RS"]["id"], "accept")).status_code == 200
    assert (await client.get(f"{API}/applications/{bundle_id}", headers=alice.headers)).json()[
        "status"
    ] == "accepted"

    approvers = {d: await f.staff(settings, f"{d}-approver", "approver", d) for d in ("GA", "RS", "YB")}
    for dept in ("GA", "RS"):
        assert (
            await f.act(client, approvers[dept], children[dept]["id"], "approve", {"note": "准予"})
        ).status_code == 200
    resp = await f.act(client, approvers["YB"], children["YB"]["id"], "reject", {"reason": "已在外地参保"})
    assert resp.status_code == 200
    detail = (await client.get(f"{API}/applications/{bundle_id}", headers=alice.headers)).json()
    assert detail["done"] is True and detail["status"] == "approved" and "rate" in detail["actions"]
    assert detail["decided_at"] is not None
    assert {e["child_id"] for e in detail["timeline"]} == {c["id"] for c in created["children"]}

    # one message per step that matters, none per child
    rows = await Notification.filter(user_id=alice.user_id).order_by("id")
    assert _told(rows) == ["bundle.submitted", "bundle.supplement_required", "bundle.accepted", "bundle.done"]
    assert all(r.payload.get("bundle_id") == bundle_id for r in rows if r.event.startswith("case."))
    supplement_note = next(r for r in rows if r.event == "bundle.supplement_required").payload["note"]
    assert "社会保障卡申领" in supplement_note and "照片不清晰" in supplement_note

    # one rating for the bundle: recorded once for every child
    resp = await client.post(
        f"{API}/applications/{bundle_id}/rating", json={"level": 5}, headers=alice.headers
    )
    assert resp.status_code == 201, resp.text
    for child in created["children"]:
        rated = await client.get(f"{API}/applications/{child['id']}/rating", headers=alice.headers)
        assert rated.status_code == 200 and rated.json()["level"] == 5
    resp = await client.post(
        f"{API}/applications/{bundle_id}/rating", json={"level": 4}, headers=alice.headers
    )
    assert_error(resp, 409, "ALREADY_RATED")
    detail = (await client.get(f"{API}/applications/{bundle_id}", headers=alice.headers)).json()
    assert detail["rating"]["level"] == 5 and "rate" not in detail["actions"]

    # another citizen sees none of it
    bob = await f.citizen(api, client, "bob", "13900001111", id_index=1)
    assert_error(await client.get(f"{API}/applications/{bundle_id}", headers=bob.headers), 404, "NOT_FOUND")
    for child in created["children"]:
        assert_error(
            await client.get(f"{API}/applications/{child['id']}", headers=bob.headers), 404, "NOT_FOUND"
        )
    resp = await client.post(
        f"{API}/applications/{bundle_id}/supplement", json={"materials": {}}, headers=bob.headers
    )
    assert resp.status_code in (404, 422)
    resp = await client.post(f"{API}/applications/{bundle_id}/rating", json={"level": 1}, headers=bob.headers)
    assert_error(resp, 404, "NOT_FOUND")
    assert (await client.get(f"{API}/applications", headers=bob.headers)).json()["total"] == 0

    supervisor = await f.staff(settings, "supervisor-b", "supervisor", None)
    stats = (await client.get(f"{API}/staff/bundles/stats", headers=supervisor)).json()
    assert stats == {"filed": 1, "done": 1, "published": 1}


async def test_bad_bundle_input(database_url, settings, api, client):
    ga, rs, yb = await _three_items()
    admin = await _bundle(client, settings, [ga, rs], code="draft_one", publish=False)
    alice = await f.citizen(api, client)
    post = lambda body: client.post(f"{API}/applications", json=body, headers=alice.headers)  # noqa: E731

    assert_error(await post({"bundle_code": "nope", "materials": {}}), 404, "NOT_FOUND")
    assert_error(await post({"bundle_code": "draft_one", "materials": {}}), 404, "NOT_FOUND")
    assert_error(await client.get(f"{API}/bundles/draft_one"), 404, "NOT_FOUND")
    both = assert_error(
        await post({"bundle_code": "draft_one", "item_code": ga.code}), 422, "VALIDATION_ERROR"
    )
    assert both["details"]["fields"]
    assert_error(await post({"materials": {}}), 422, "VALIDATION_ERROR")
    assert (await client.get(f"{API}/bundles")).json() == []

    # admin only; unknown items refused; publishing needs every item published
    window = await f.staff(settings, "ga-w", "window", "GA")
    assert_error(await client.get(f"{API}/staff/bundles", headers=window), 403, "FORBIDDEN")
    resp = await client.post(
        f"{API}/staff/bundles",
        json={"code": "x1", "name": "某一件事", "items": [ga.code, "NOPE"]},
        headers=admin,
    )
    assert_error(resp, 422, "VALIDATION_ERROR")
    resp = await client.post(
        f"{API}/staff/bundles",
        json={"code": "draft_one", "name": "某一件事", "items": [ga.code, rs.code]},
        headers=admin,
    )
    assert_error(resp, 409, "BUNDLE_EXISTS")
    yb.item.is_published = False
    await yb.item.save()
    resp = await client.put(
        f"{API}/staff/bundles/draft_one", json={"items": [ga.code, yb.code]}, headers=admin
    )
    assert resp.status_code == 200 and resp.json()["items"] == [ga.code, yb.code]
    assert_error(
        await client.post(f"{API}/staff/bundles/draft_one/publish", headers=admin), 409, "ITEMS_NOT_PUBLISHED"
    )
    assert [b["code"] for b in (await client.get(f"{API}/staff/bundles", headers=admin)).json()] == [
        "draft_one"
    ]
