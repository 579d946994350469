"""电子证照: issued when a case is approved, kept in the holder's wallet, used for a later case's
material with the holder's consent (the clerk sees the licence instead of an upload), consent revoked
(the clerk then sees only 授权已撤回), and what no one else may see or use."""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.licences.numbers import is_credit_code
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.licences_fixtures import APPLY, ME, alice, approved, bob, desk, licence_item, wallet

STAFF = "/api/v1/staff/applications"


async def shop_items():
    """个体工商户设立登记 issues a 营业执照; 公章刻制备案 takes one for its 营业执照 material."""
    setup = await licence_item(
        "SC-GT-001", "个体工商户设立登记", issues="business_licence", form_fields=("name", "company_name")
    )
    seal = await licence_item(
        "GA-YZ-001",
        "公章刻制备案",
        dept="GA",
        materials=[("营业执照", "required", "business_licence"), ("法定代表人身份证件", "required", "")],
    )
    return setup, seal


async def test_an_approved_case_issues_a_licence_into_the_holders_wallet(database_url, api, client, settings):
    clock.set_now(f.at(2026, 3, 2))
    setup, _ = await shop_items()
    plain = await licence_item("SC-XX-002", "一般事项")  # issues nothing
    staff = await desk(settings)
    zhang = await alice(api, client)
    form = {"name": "张三丰", "company_name": "三丰便利店"}
    case = await approved(client, zhang, setup, staff, form=form)
    await approved(client, zhang, plain, staff)

    page = await wallet(client, zhang)
    assert page["total"] == 1
    licence = page["items"][0]
    assert (licence["licence_type"], licence["type_name"]) == ("business_licence", "营业执照")
    assert (
        licence["holder"] == "张*丰" and licence["issuer"] == "市场监管局" and licence["issuer_code"] == "SC"
    )
    assert licence["subject_name"] == "三丰便利店" and licence["case_number"] == case["number"]
    assert is_credit_code(licence["number"]) and licence["credit_code"] == licence["number"]
    assert licence["number"][:2] == "92"  # 个体工商户
    assert (licence["valid_from"], licence["valid_until"], licence["status"]) == ("2026-03-02", None, "valid")
    detail = await client.get(f"{ME}/licences/{licence['id']}", headers=zhang.headers)
    assert detail.status_code == 200 and detail.json() == licence
    # the case's timeline tells the citizen
    shown = (await client.get(f"{APPLY}/{case['id']}", headers=zhang.headers)).json()
    assert any(licence["number"] in entry["note"] for entry in shown["timeline"])

    # the licence is the person's: another WeChat account with the same real-name ID sees it too
    second = await alice(api, client, login="alice-second-phone")
    assert [row["id"] for row in (await wallet(client, second))["items"]] == [licence["id"]]
    # anyone else: nothing, and 404 for its id
    li = await bob(api, client)
    assert (await wallet(client, li)) == {"total": 0, "items": []}
    assert_error(await client.get(f"{ME}/licences/{licence['id']}", headers=li.headers), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ME}/licences/999999", headers=zhang.headers), 404, "NOT_FOUND")


async def test_a_licence_satisfies_a_later_material_with_consent_until_revoked(
    database_url, api, client, settings
):
    clock.set_now(f.at(2026, 3, 2))
    setup, seal = await shop_items()
    staff = await desk(settings)
    police = await desk(settings, "GA")
    zhang = await alice(api, client)
    await approved(client, zhang, setup, staff)
    licence = (await wallet(client, zhang))["items"][0]
    by_licence = seal.material("营业执照")

    # without the licence the material is missing; with it, it is not
    uploads = await f.full_materials(zhang, seal, skip=("营业执照",))
    missing = await client.post(
        APPLY, json={"item_code": seal.code, "materials": uploads}, headers=zhang.headers
    )
    err = assert_error(missing, 422, "MATERIALS_MISSING")
    assert [m["id"] for m in err["details"]["missing"]] == [by_licence.id]
    created = await f.submit(
        client, zhang, seal, materials=uploads, licences={str(by_licence.id): licence["id"]}
    )

    # the clerk sees the licence instead of an upload
    detail = await client.get(f"{STAFF}/{created['id']}", headers=police.window)
    assert detail.status_code == 200, detail.text
    row = next(r for r in detail.json()["materials"] if r["material_id"] == by_licence.id)
    assert row["files"] == [] and row["missing"] is False
    shown = row["licence"]
    assert (shown["status"], shown["status_text"]) == ("granted", "已授权使用电子证照")
    assert (shown["licence_type"], shown["number"], shown["issuer"]) == (
        "营业执照",
        licence["number"],
        "市场监管局",
    )
    assert (shown["valid_from"], shown["valid_until"]) == ("2026-03-02", None)
    other = next(r for r in detail.json()["materials"] if r["material_id"] != by_licence.id)
    assert other["licence"] is None and len(other["files"]) == 1

    consents = (await client.get(f"{ME}/licence-consents", headers=zhang.headers)).json()
    assert consents["total"] == 1
    consent = consents["items"][0]
    assert (consent["licence_id"], consent["application_id"], consent["material_id"]) == (
        licence["id"],
        created["id"],
        by_licence.id,
    )
    assert consent["status"] == "granted" and consent["revoked_at"] is None and consent["granted_at"]

    # someone else cannot revoke it; the holder can, once
    li = await bob(api, client)
    revoke = f"{ME}/licence-consents/{consent['id']}/revoke"
    assert_error(await client.post(revoke, headers=li.headers), 404, "NOT_FOUND")
    assert (await client.get(f"{ME}/licence-consents", headers=li.headers)).json()["total"] == 0
    clock.advance(timedelta(minutes=10))
    done = await client.post(revoke, headers=zhang.headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "revoked" and done.json()["status_text"] == "授权已撤回"
    assert_error(await client.post(revoke, headers=zhang.headers), 409, "CONSENT_ALREADY_REVOKED")

    # the clerk now sees only that the consent was withdrawn, not the licence
    detail = await client.get(f"{STAFF}/{created['id']}", headers=police.window)
    shown = next(r for r in detail.json()["materials"] if r["material_id"] == by_licence.id)["licence"]
    assert (shown["status"], shown["status_text"]) == ("revoked", "授权已撤回")
    assert shown["licence_type"] is None and shown["number"] is None and shown["issuer"] is None
    assert licence["number"] not in detail.text
    timeline = [e["note"] for e in detail.json()["timeline"]]
    assert any("授权已撤回" in note for note in timeline)


async def test_a_licence_of_another_person_the_wrong_type_or_expired_is_not_usable(
    database_url, api, client, settings
):
    clock.set_now(f.at(2021, 3, 1))  # in the past: the jump past its validity stays before today
    setup, seal = await shop_items()
    food = await licence_item("SC-SP-001", "食品经营许可（新办）", issues="food_business_licence")
    renewal = await licence_item(
        "SC-SP-003",
        "食品经营许可延续",
        materials=[("食品经营许可证", "required", "food_business_licence"), ("说明", "required", "")],
    )
    staff = await desk(settings)
    zhang = await alice(api, client)
    li = await bob(api, client)
    await approved(client, li, setup, staff)
    await approved(client, zhang, food, staff)
    bobs = (await wallet(client, li))["items"][0]
    food_licence = (await wallet(client, zhang))["items"][0]
    assert food_licence["valid_until"] == "2026-02-28"  # five years

    async def attempt(item, material_name: str, licence_id: int):
        material = item.material(material_name)
        uploads = await f.full_materials(zhang, item, skip=(material_name,))
        return await client.post(
            APPLY,
            json={"item_code": item.code, "materials": uploads, "licences": {str(material.id): licence_id}},
            headers=zhang.headers,
        )

    err = assert_error(await attempt(seal, "营业执照", bobs["id"]), 422, "LICENCE_NOT_USABLE")
    assert err["details"]["problems"][0]["reason"] == "not_found"  # bob's: as if it did not exist
    err = assert_error(await attempt(seal, "营业执照", food_licence["id"]), 422, "LICENCE_NOT_USABLE")
    assert err["details"]["problems"][0]["reason"] == "wrong_type"
    err = assert_error(
        await attempt(seal, "法定代表人身份证件", food_licence["id"]), 422, "LICENCE_NOT_USABLE"
    )
    assert err["details"]["problems"][0]["reason"] == "not_accepted"
    bad = await client.post(
        APPLY,
        json={"item_code": seal.code, "materials": {}, "licences": {"999999": food_licence["id"]}},
        headers=zhang.headers,
    )
    assert "body.licences.999999" in assert_error(bad, 422, "VALIDATION_ERROR")["details"]["fields"]
    # usable today; once expired, refused
    assert (await attempt(renewal, "食品经营许可证", food_licence["id"])).status_code == 201
    clock.set_now(f.at(2026, 3, 2))
    zhang.headers = await api.citizen_headers("alice")  # five years on: a new login
    err = assert_error(
        await attempt(renewal, "食品经营许可证", food_licence["id"]), 409, "LICENCE_NOT_USABLE"
    )
    assert err["details"]["problems"] == [
        {
            "material_id": renewal.material("食品经营许可证").id,
            "licence_id": food_licence["id"],
            "reason": "expired",
        }
    ]
    page = await wallet(client, zhang)
    assert (page["items"][0]["status"], page["items"][0]["status_text"]) == ("expired", "已过期")


async def test_a_verification_code_verifies_then_expires(database_url, api, client, settings):
    clock.set_now(f.at(2026, 3, 2))
    setup, _ = await shop_items()
    staff = await desk(settings)
    zhang = await alice(api, client)
    await approved(client, zhang, setup, staff)
    licence = (await wallet(client, zhang))["items"][0]
    url = f"{ME}/licences/{licence['id']}/verification"

    li = await bob(api, client)
    assert_error(await client.post(url, headers=li.headers), 404, "NOT_FOUND")
    issued = await client.post(url, headers=zhang.headers)
    assert issued.status_code == 201, issued.text
    code = issued.json()["code"]
    assert issued.json()["expires_at"] == "2026-03-02T10:05:00+08:00"  # 5 minutes (the default)

    verify = "/api/v1/public/licences/verify"
    seen = await client.get(verify, params={"code": code})  # no login
    assert seen.status_code == 200, seen.text
    assert seen.json() == {
        "valid": True,
        "licence_type": "营业执照",
        "number": licence["number"],
        "holder": "张*丰",
        "issuer": "市场监管局",
        "valid_from": "2026-03-02",
        "valid_until": None,
    }
    clock.advance(timedelta(seconds=299))
    assert (await client.get(verify, params={"code": code})).status_code == 200
    clock.advance(timedelta(seconds=2))
    assert_error(await client.get(verify, params={"code": code}), 410, "LICENCE_CODE_EXPIRED")

    # forged: another signature, a changed claim, an access token, garbage
    fresh = (await client.post(url, headers=zhang.headers)).json()["code"]
    head, claims, signature = fresh.split(".")
    forged = f"{head}.{claims}.{signature[:-4]}AAAA"
    for bad in (forged, zhang.headers["Authorization"][7:], "not-a-code", "a.b.c"):
        assert_error(await client.get(verify, params={"code": bad}), 400, "LICENCE_CODE_INVALID")
    assert_error(await client.get(verify), 422, "VALIDATION_ERROR")
