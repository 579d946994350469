"""What a citizen sees of the catalog: departments, lists with filters and paging, the guide."""

from __future__ import annotations

import pytest

from tests.catalog_fixtures import (  # noqa: F401  (fixtures)
    admin_headers,
    full_item,
    seeded_sqlite_template,
    seeded_url,
)
from tests.conftest import assert_error

ITEMS = "/api/v1/items"


@pytest.fixture
def database_url(seeded_url):
    """Every test here starts from the demo catalog."""
    return seeded_url


async def all_items(client, **params) -> list[dict]:
    found, page = [], 1
    while True:
        body = (await client.get(ITEMS, params={**params, "page": page, "size": 100})).json()
        found += body["items"]
        if len(found) >= body["total"]:
            return found
        page += 1


async def test_departments_list_the_demo_departments(client):
    resp = await client.get("/api/v1/departments")
    assert resp.status_code == 200
    departments = resp.json()
    assert len(departments) >= 15
    assert set(departments[0]) == {"code", "name"}
    codes = {d["code"] for d in departments}
    assert {
        "GA",
        "CRJ",
        "RS",
        "YB",
        "SCJG",
        "SW",
        "BDC",
        "ZJ",
        "GJJ",
        "MZ",
        "WJ",
        "JT",
        "JY",
        "CL",
        "TYJR",
    } <= codes


async def test_demo_catalog_is_large_and_mostly_zero_trip(client):
    items = await all_items(client)
    assert len(items) >= 200
    assert len({i["department"] for i in items}) >= 15
    trips = [i["trips"] for i in items]
    assert trips.count(0) > len(items) / 2
    assert trips.count(1) > 0 and trips.count(2) > 0
    summary = items[0]
    for key in ("code", "name", "department", "trips", "online", "deliverable", "bookable", "promised_days"):
        assert key in summary
    assert "legal_days" in summary


async def test_filters_each_narrow_the_list(client):
    everything = await all_items(client)
    cases = [
        ({"trips": 0}, lambda i: i["trips"] == 0),
        ({"trips": 2}, lambda i: i["trips"] == 2),
        ({"online": "true"}, lambda i: i["online"]),
        ({"online": "false"}, lambda i: not i["online"]),
        ({"department": "GJJ"}, lambda i: i["department"] == "GJJ"),
        ({"audience": "business"}, lambda i: i["audience"] in ("business", "both")),
        ({"deliverable": "false"}, lambda i: not i["deliverable"]),
        ({"bookable": "true"}, lambda i: i["bookable"]),
    ]
    for params, keep in cases:
        got = await all_items(client, **params)
        expected = [i["code"] for i in everything if keep(i)]
        assert sorted(i["code"] for i in got) == sorted(expected), params
        assert 0 < len(got) < len(everything), params
    both = await all_items(client, department="GA", trips=1, bookable="true")
    assert both and all(i["department"] == "GA" and i["trips"] == 1 and i["bookable"] for i in both)
    assert (await client.get(ITEMS, params={"department": "NOPE"})).json() == {"total": 0, "items": []}


async def test_paging_covers_every_item_once(client):
    first = (await client.get(ITEMS, params={"size": 7})).json()
    total = first["total"]
    assert len(first["items"]) == 7
    seen = []
    for page in range(1, total // 50 + 2):
        seen += [
            i["code"] for i in (await client.get(ITEMS, params={"page": page, "size": 50})).json()["items"]
        ]
    assert len(seen) == total == len(set(seen))
    beyond = (await client.get(ITEMS, params={"page": 1000, "size": 50})).json()
    assert beyond == {"total": total, "items": []}
    searched = (await client.get(ITEMS, params={"q": "公积金", "size": 2, "page": 2})).json()
    assert searched["total"] > 4 and len(searched["items"]) == 2


async def test_garbage_query_parameters_are_422_never_500(client):
    bad = [
        {"trips": "3"},
        {"trips": "-1"},
        {"trips": "99999999999999999999"},
        {"trips": "abc"},
        {"online": "maybe"},
        {"audience": "alien"},
        {"page": "0"},
        {"page": "99999999999"},
        {"size": "1000"},
        {"size": "x"},
        {"q": "营" * 51},
        {"department": "G A"},
        {"department": "x" * 40},
        {"q": "a\u0000b"},
    ]
    for params in bad:
        resp = await client.get(ITEMS, params=params)
        error = assert_error(resp, 422, "VALIDATION_ERROR")
        assert error["details"]["fields"], params
    assert_error(await client.get("/api/v1/items/suggest"), 422, "VALIDATION_ERROR")
    assert_error(await client.get("/api/v1/items/suggest", params={"q": "x" * 60}), 422, "VALIDATION_ERROR")
    # odd but well-formed queries just find nothing (or something), never fail
    for q in ("%", "'; DROP TABLE service_items; --", "😀", "　", "((", "\\"):
        resp = await client.get(ITEMS, params={"q": q})
        assert resp.status_code == 200, q


async def test_unknown_code_is_404(client):
    assert_error(await client.get(f"{ITEMS}/NO-SUCH-ITEM"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/{'x' * 300}"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/NO-SUCH-ITEM/versions/1"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/NO-SUCH-ITEM/versions/9999999999"), 404, "NOT_FOUND")


async def test_suggest_is_not_taken_for_an_item_code(client):
    resp = await client.get("/api/v1/items/suggest", params={"q": "gjj"})
    assert resp.status_code == 200
    items = resp.json()["items"]
    assert 0 < len(items) <= 8
    assert all("公积金" in i["name"] for i in items)
    short = (await client.get("/api/v1/items/suggest", params={"q": "营业", "size": 3})).json()["items"]
    assert len(short) <= 3 and "营业" in short[0]["name"]


async def test_detail_carries_every_field_of_the_guide(client, api):
    headers = await admin_headers(api)
    item = full_item()
    assert (await client.post("/api/v1/admin/catalog/items", json=item, headers=headers)).status_code == 201
    publish = await client.post(f"/api/v1/admin/catalog/items/{item['code']}/publish", headers=headers)
    assert publish.status_code == 200, publish.text

    resp = await client.get(f"{ITEMS}/{item['code']}")
    assert resp.status_code == 200
    guide = resp.json()
    for key in (
        "code", "basic_code", "name", "item_type", "audience", "statutory_days", "promised_days", "time_unit",
        "processing_type", "visits_reason", "online", "online_depth", "deliverable", "bookable", "charges_fee",  # noqa: E501
        "fees", "fee_exemptions", "basis", "conditions", "procedure", "place", "hours", "contact", "complaint",  # noqa: E501
        "result", "faqs", "keywords", "online_url", "effective_from",
    ):  # fmt: skip
        assert guide[key] == item[key], key
    assert guide["department"] == "GA" and guide["department_name"]
    assert guide["trips"] == 1 and guide["legal_days"] == 20 and guide["instant"] is False
    assert guide["processing_type_label"] == "承诺件" and guide["online_depth_label"].startswith("三级")
    assert (
        guide["version"] == 1 and guide["status"] == "published" and guide["published_at"].endswith("+08:00")
    )
    materials = guide["materials"]
    assert [m["name"] for m in materials] == ["居民身份证", "犬只照片", "授权委托书"]
    first, tolerated, optional = materials
    assert isinstance(first["id"], int)
    assert first["required"] is True and first["form"] == "原件" and first["copies"] == 1
    assert first["note"] == "核验后退还" and first["kind"] == "id_card" and first["source"] == "公安机关"
    assert (
        tolerated["required"] is True
        and tolerated["tolerated"] is True
        and tolerated["necessity"] == "tolerated"
    )
    assert optional["required"] is False and optional["form"] == "原件、复印件"
    for m in materials:
        assert {"blank_form_upload_id", "sample_upload_id", "forms", "position"} <= set(m)


async def test_reading_a_guide_counts_a_view(client, api):
    code = (await client.get(ITEMS, params={"q": "居民身份证补领"})).json()["items"][0]["code"]
    before = (await client.get(f"{ITEMS}/{code}")).json()["views"]
    citizen = await api.citizen_headers()
    after = (await client.get(f"{ITEMS}/{code}", headers=citizen)).json()["views"]
    assert after == before + 1
    staff = await admin_headers(api)
    assert (await client.get(f"{ITEMS}/{code}", headers=staff)).json()["views"] == after  # staff don't count
