"""Editing the catalog: consistency rules, drafts and versions, publishing, departments, access."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from citizen_api.catalog import service as catalog
from citizen_api.catalog.rules import RULE_CODES
from citizen_api.errors import ApiError
from tests.catalog_fixtures import admin_headers, content_of, full_item
from tests.conftest import assert_error, create_staff

ADMIN = "/api/v1/admin/catalog"
ITEMS = "/api/v1/items"


async def found_codes(client, q: str) -> list[str]:
    return [i["code"] for i in (await client.get(ITEMS, params={"q": q, "size": 50})).json()["items"]]


def departments():
    return {
        "code": "GA",
        "name": "市公安局",
        "sort": 1,
        "phone": "0571-87280110",
        "address": "市民大道 100 号",
    }


@pytest.fixture
async def admin(api, client):
    headers = await admin_headers(api)
    resp = await client.post(f"{ADMIN}/departments", json=departments(), headers=headers)
    assert resp.status_code == 201, resp.text
    return headers


BROKEN = {
    "PROMISED_EXCEEDS_STATUTORY": {"statutory_days": 5, "promised_days": 10},
    "INSTANT_ITEM_MISMATCH": {"processing_type": "instant"},
    "VISITS_REASON_REQUIRED": {"visits_reason": "  "},
    "DELIVERY_REQUIRED": {
        "visits": 0,
        "visits_reason": "",
        "online": False,
        "online_depth": 1,
        "deliverable": False,
    },
    "ONLINE_ITEM_HAS_VISITS": {"online_depth": 4},
    "ONLINE_DEPTH_MISMATCH": {"online": False},
    "FEES_MISMATCH": {"fees": []},
    "STEP_DAYS_EXCEED_PROMISED": {
        "steps": [
            {"code": "accept", "name": "受理", "days": 2, "post": "受理岗"},
            {"code": "review", "name": "审查", "days": 4, "post": "审核岗"},
        ]
    },
}


@pytest.mark.parametrize("code", sorted(BROKEN))
async def test_each_consistency_rule_rejects_with_its_code(client, admin, code):
    item = full_item(**BROKEN[code])
    error = assert_error(await client.post(f"{ADMIN}/items", json=item, headers=admin), 422, code)
    assert [v["code"] for v in error["details"]["violations"]] == [code]
    assert_error(await client.get(f"{ADMIN}/items/{item['code']}", headers=admin), 404, "NOT_FOUND")

    # the same rule guards edits of a draft
    good = full_item()
    assert (await client.post(f"{ADMIN}/items", json=good, headers=admin)).status_code == 201
    body = content_of(full_item(**BROKEN[code]))
    assert_error(await client.put(f"{ADMIN}/items/{good['code']}/draft", json=body, headers=admin), 422, code)


def test_every_rule_has_a_case_above():
    assert set(BROKEN) == set(RULE_CODES)


async def test_drafts_are_invisible_to_citizens_everywhere(client, admin, api):
    item = full_item(code="GA-DRAFT-1", name="犬只免疫证明核发")
    assert (await client.post(f"{ADMIN}/items", json=item, headers=admin)).status_code == 201
    assert (await client.get(ITEMS)).json() == {"total": 0, "items": []}
    assert (await client.get(ITEMS, params={"department": "GA"})).json()["total"] == 0
    for q in ("犬只免疫证明核发", "qzmyzmhf", "GA-DRAFT-1", "狗狗免疫证"):
        assert (await client.get(ITEMS, params={"q": q})).json()["total"] == 0, q
    assert (await client.get(f"{ITEMS}/suggest", params={"q": "犬只"})).json()["items"] == []
    citizen = await api.citizen_headers()
    assert_error(await client.get(f"{ITEMS}/GA-DRAFT-1", headers=citizen), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/GA-DRAFT-1/versions/1", headers=citizen), 404, "NOT_FOUND")
    # the admin still sees it, as a draft
    listed = (await client.get(f"{ADMIN}/items", params={"status": "draft"}, headers=admin)).json()
    assert [i["code"] for i in listed["items"]] == ["GA-DRAFT-1"]


async def test_admin_garbage_query_parameters_are_422(client, admin):
    for params in (
        {"status": "gone"},
        {"size": "0"},
        {"page": "-1"},
        {"department": "'; --"},
        {"q": "x" * 51},
    ):
        resp = await client.get(f"{ADMIN}/items", params=params, headers=admin)
        assert assert_error(resp, 422, "VALIDATION_ERROR")["details"]["fields"], params
    for body in ("not json", "[]", '{"code": 1}'):
        headers = {**admin, "content-type": "application/json"}
        resp = await client.post(f"{ADMIN}/items", content=body, headers=headers)
        assert_error(resp, 422, "VALIDATION_ERROR")


async def test_instant_items_need_promised_zero_both_ways(client, admin):
    zero_but_promised = full_item(promised_days=0)
    assert_error(
        await client.post(f"{ADMIN}/items", json=zero_but_promised, headers=admin),
        422,
        "INSTANT_ITEM_MISMATCH",
    )
    instant = full_item(promised_days=0, processing_type="instant")
    resp = await client.post(f"{ADMIN}/items", json=instant, headers=admin)
    assert resp.status_code == 201, resp.text
    assert (
        resp.json()["draft"]["instant"] is True and resp.json()["draft"]["processing_type_label"] == "即办件"
    )


async def test_several_broken_rules_are_all_listed(client, admin):
    item = full_item(promised_days=30, statutory_days=20, visits_reason="", fees=[])
    error = assert_error(
        await client.post(f"{ADMIN}/items", json=item, headers=admin), 422, "PROMISED_EXCEEDS_STATUTORY"
    )
    codes = {v["code"] for v in error["details"]["violations"]}
    assert codes == {"PROMISED_EXCEEDS_STATUTORY", "VISITS_REASON_REQUIRED", "FEES_MISMATCH"}


async def test_draft_publish_edit_and_unpublish(client, admin):
    item = full_item(code="GA-DOG-01", name="犬只免疫证明核发")
    created = await client.post(f"{ADMIN}/items", json=item, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["item"]["is_published"] is False and created.json()["published"] is None

    # a draft is invisible to citizens
    assert_error(await client.get(f"{ITEMS}/GA-DOG-01"), 404, "NOT_FOUND")
    assert "GA-DOG-01" not in await found_codes(client, "犬只免疫证明核发")
    assert_error(await client.get(f"{ITEMS}/GA-DOG-01/versions/1"), 404, "NOT_FOUND")

    published = await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=admin)
    assert published.status_code == 200, published.text
    assert published.json()["published"]["version"] == 1 and published.json()["draft"] is None
    assert (await found_codes(client, "犬只免疫证明核发"))[0] == "GA-DOG-01"
    assert (await client.get(f"{ITEMS}/GA-DOG-01")).json()["name"] == "犬只免疫证明核发"

    # editing starts version 2 as a draft; citizens keep reading version 1 until it is published
    edit = content_of(full_item(name="犬只狂犬病免疫证明核发", promised_days=3))
    drafted = await client.put(f"{ADMIN}/items/GA-DOG-01/draft", json=edit, headers=admin)
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["draft"]["version"] == 2
    assert (await client.get(f"{ITEMS}/GA-DOG-01")).json()["promised_days"] == 5
    edit["promised_days"] = 2  # editing the draft again keeps it version 2
    redrafted = await client.put(f"{ADMIN}/items/GA-DOG-01/draft", json=edit, headers=admin)
    assert redrafted.json()["draft"]["version"] == 2 and redrafted.json()["draft"]["promised_days"] == 2

    second = await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=admin)
    assert second.status_code == 200
    guide = (await client.get(f"{ITEMS}/GA-DOG-01")).json()
    assert guide["version"] == 2 and guide["promised_days"] == 2 and guide["name"] == "犬只狂犬病免疫证明核发"
    versions = {v["version"]: v["status"] for v in second.json()["versions"]}
    assert versions == {1: "retired", 2: "published"}
    old = (await client.get(f"{ITEMS}/GA-DOG-01/versions/1")).json()
    assert old["promised_days"] == 5 and old["status"] == "retired" and old["name"] == "犬只免疫证明核发"
    assert (await found_codes(client, "犬只狂犬病免疫证明"))[0] == "GA-DOG-01"

    assert_error(
        await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=admin), 409, "NOTHING_TO_PUBLISH"
    )

    unpublished = await client.post(f"{ADMIN}/items/GA-DOG-01/unpublish", headers=admin)
    assert unpublished.status_code == 200 and unpublished.json()["item"]["is_published"] is False
    assert_error(await client.get(f"{ITEMS}/GA-DOG-01"), 404, "NOT_FOUND")
    assert "GA-DOG-01" not in await found_codes(client, "犬只狂犬病免疫证明")
    assert (await client.get(f"{ITEMS}/GA-DOG-01/versions/2")).status_code == 200  # cases keep their guide
    assert_error(await client.post(f"{ADMIN}/items/GA-DOG-01/unpublish", headers=admin), 409, "NOT_PUBLISHED")

    # back online without a new version
    again = await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=admin)
    assert again.status_code == 200 and len(again.json()["versions"]) == 2
    assert (await client.get(f"{ITEMS}/GA-DOG-01")).json()["version"] == 2


async def test_functions_other_domains_use(client, admin):
    item = full_item(code="GA-FN-01")
    await client.post(f"{ADMIN}/items", json=item, headers=admin)
    with pytest.raises(ApiError) as missing:
        await catalog.published_item("GA-FN-01")  # a draft cannot be applied for
    assert missing.value.status == 404
    await client.post(f"{ADMIN}/items/GA-FN-01/publish", headers=admin)
    published = await catalog.published_item("GA-FN-01")
    materials = await catalog.version_materials(published.published_version_id)
    assert [m.name for m in materials] == ["居民身份证", "犬只照片", "授权委托书"]
    assert [m.necessity for m in materials] == ["required", "tolerated", "optional"]
    await catalog.record_application(published.id)
    await catalog.record_application(published.id)
    assert (await client.get(f"{ITEMS}/GA-FN-01")).json()["applications"] == 2


async def test_conflicts_and_unknown_references(client, admin):
    item = full_item()
    assert (await client.post(f"{ADMIN}/items", json=item, headers=admin)).status_code == 201
    assert_error(await client.post(f"{ADMIN}/items", json=item, headers=admin), 409, "ITEM_EXISTS")
    elsewhere = full_item(code="X-1", department="NOWHERE")
    assert_error(
        await client.post(f"{ADMIN}/items", json=elsewhere, headers=admin), 422, "UNKNOWN_DEPARTMENT"
    )
    materials = [{"name": "空白表", "blank_form_upload_id": 424242}]
    with_form = full_item(code="X-2", materials=materials)
    error = assert_error(
        await client.post(f"{ADMIN}/items", json=with_form, headers=admin), 422, "UNKNOWN_UPLOAD"
    )
    assert error["details"]["missing"] == [424242]
    assert_error(
        await client.put(f"{ADMIN}/items/NOPE/draft", json=content_of(item), headers=admin), 404, "NOT_FOUND"
    )
    assert_error(await client.post(f"{ADMIN}/items/NOPE/publish", headers=admin), 404, "NOT_FOUND")
    bad = full_item(code="bad code!", statutory_days=99999, materials=[{"name": "", "copies": -1}])
    fields = assert_error(
        await client.post(f"{ADMIN}/items", json=bad, headers=admin), 422, "VALIDATION_ERROR"
    )
    assert {"body.code", "body.statutory_days", "body.materials.0.name", "body.materials.0.copies"} <= set(
        fields["details"]["fields"]
    )


async def test_departments_are_edited_by_admins_and_shown_everywhere(client, admin):
    resp = await client.post(f"{ADMIN}/departments", json={**departments(), "code": "GA"}, headers=admin)
    assert_error(resp, 409, "DEPARTMENT_EXISTS")
    await client.post(f"{ADMIN}/items", json=full_item(), headers=admin)
    await client.post(f"{ADMIN}/items/TEST-0001/publish", headers=admin)
    renamed = await client.put(f"{ADMIN}/departments/GA", json={"name": "市公安局户政科"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json()["name"] == "市公安局户政科"
    assert {"code": "GA", "name": "市公安局户政科"} in (await client.get("/api/v1/departments")).json()
    summary = (await client.get(ITEMS, params={"q": "测试犬只免疫证明核发"})).json()["items"][0]
    assert summary["department_name"] == "市公安局户政科"
    assert_error(
        await client.put(f"{ADMIN}/departments/NOPE", json={"name": "无此部门"}, headers=admin),
        404,
        "NOT_FOUND",
    )
    listed = (await client.get(f"{ADMIN}/items", params={"status": "published"}, headers=admin)).json()
    assert listed["total"] == 1 and listed["items"][0]["code"] == "TEST-0001"


async def test_only_admins_edit(client, api):
    await create_staff("clerk", "window", "GA")
    clerk = await api.staff_headers("clerk")
    citizen = await api.citizen_headers()
    for headers, status, code in (
        (None, 401, "UNAUTHENTICATED"),
        (citizen, 403, "FORBIDDEN"),
        (clerk, 403, "FORBIDDEN"),
    ):
        assert_error(await client.post(f"{ADMIN}/items", json=full_item(), headers=headers), status, code)
        assert_error(await client.get(f"{ADMIN}/items", headers=headers), status, code)
        assert_error(
            await client.post(f"{ADMIN}/departments", json=departments(), headers=headers), status, code
        )


async def test_two_admins_publishing_at_once_make_one_version(postgres_url, tmp_path, wechat_sim):
    from asgi_lifespan import LifespanManager

    from citizen_api.app import create_app
    from tests.conftest import Api, make_settings

    settings = make_settings(tmp_path, postgres_url, wechat_sim.base_url)
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = await admin_headers(Api(client))
            await client.post(f"{ADMIN}/departments", json=departments(), headers=headers)
            await client.post(f"{ADMIN}/items", json=full_item(), headers=headers)
            results = await asyncio.gather(
                *(client.post(f"{ADMIN}/items/TEST-0001/publish", headers=headers) for _ in range(4))
            )
            statuses = sorted(r.status_code for r in results)
            assert statuses == [200, 409, 409, 409], [r.text for r in results]
            detail = (await client.get(f"{ADMIN}/items/TEST-0001", headers=headers)).json()
            assert [v["status"] for v in detail["versions"]] == ["published"]
