"""Free postal delivery addresses: GB/T 2260 division checks, encryption at rest, masking in lists."""

from __future__ import annotations

import pytest

from citizen_api.cases import divisions
from citizen_api.db import atomic
from citizen_api.security.principal import Principal
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import ADDRESS, citizen, k100_sim, live, make_case, s10  # noqa: F401


@pytest.mark.parametrize(
    ("province", "city", "district", "code"),
    [
        ("广东省", "广州市", "海珠区", "440105"),
        ("广东", "广州", "海珠区", "440105"),  # short forms are common
        ("北京市", "北京市", "朝阳区", "110105"),  # a municipality has no city level
        ("北京市", "市辖区", "朝阳区", "110105"),
        ("重庆市", "重庆市", "城口县", "500229"),
        ("广东省", "东莞市", "", "441900"),  # no county level: the district cannot be checked
        ("广东省", "东莞市", "南城街道", "441900"),
        ("河南省", "省直辖县级行政区划", "济源市", "419001"),
        ("河南省", "济源市", "", "419001"),
        ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "650102"),
    ],
)
def test_divisions_accept_real_addresses(province, city, district, code):
    assert divisions.resolve(province, city, district).code == code


@pytest.mark.parametrize(
    ("province", "city", "district", "field"),
    [
        ("广东省", "广州市", "南山区", "district"),  # 南山区 is in 深圳市
        ("广东省", "杭州市", "西湖区", "city"),  # 杭州市 is in 浙江省
        ("北京市", "上海市", "朝阳区", "city"),
        ("北京市", "北京市", "海珠区", "district"),
        ("火星省", "广州市", "海珠区", "province"),
        ("香港特别行政区", "香港", "中西区", "province"),  # domestic post only
        ("广东省", "广州市", "", "district"),
    ],
)
def test_divisions_refuse_mismatches(province, city, district, field):
    with pytest.raises(divisions.DivisionError) as caught:
        divisions.resolve(province, city, district)
    assert caught.value.field == field


async def test_put_address_validates_stores_encrypted_and_shows_owner(live):
    alice, headers = await citizen(live.api, "alice")
    case = await make_case(alice, status="accepted")
    url = f"/api/v1/applications/{case.id}/delivery"

    resp = await live.client.put(url, json=ADDRESS, headers=headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["offered"] is True
    assert body["address"]["phone"] == "13800138000"  # the owner's own view is complete
    assert body["address"]["division_code"] == "440105"

    from citizen_api.cases.models import Application

    stored = (await Application.get(id=case.id)).delivery_address_enc
    assert stored.startswith("v1:")
    assert "13800138000" not in stored and "新港中路" not in stored and "张三" not in stored

    bad = await live.client.put(url, json={**ADDRESS, "district": "南山区"}, headers=headers)
    err = assert_error(bad, 422, "VALIDATION_ERROR")
    assert "body.district" in err["details"]["fields"]
    bad = await live.client.put(url, json={**ADDRESS, "city": "杭州市"}, headers=headers)
    assert "body.city" in assert_error(bad, 422, "VALIDATION_ERROR")["details"]["fields"]
    bad = await live.client.put(url, json={**ADDRESS, "phone": "12345"}, headers=headers)
    assert "body.phone" in assert_error(bad, 422, "VALIDATION_ERROR")["details"]["fields"]
    bad = await live.client.put(url, json={**ADDRESS, "address": "x" * 201}, headers=headers)
    assert_error(bad, 422, "VALIDATION_ERROR")

    shown = await live.client.get(url, headers=headers)
    assert shown.json()["address"]["district"] == "海珠区"


async def test_put_address_refusals(live):
    alice, headers = await citizen(live.api, "alice")
    _bob, bob_headers = await citizen(live.api, "bob")
    case = await make_case(alice, status="accepted")
    not_offered = await make_case(alice, status="accepted", deliverable=False)
    closed = await make_case(alice, status="withdrawn")

    resp = await live.client.put(
        f"/api/v1/applications/{case.id}/delivery", json=ADDRESS, headers=bob_headers
    )
    assert_error(resp, 404, "NOT_FOUND")
    resp = await live.client.put(
        f"/api/v1/applications/{not_offered.id}/delivery", json=ADDRESS, headers=headers
    )
    assert_error(resp, 409, "DELIVERY_NOT_OFFERED")
    resp = await live.client.put(f"/api/v1/applications/{closed.id}/delivery", json=ADDRESS, headers=headers)
    assert_error(resp, 409, "CASE_CLOSED")
    resp = await live.client.put(f"/api/v1/applications/{case.id}/delivery", json=ADDRESS)
    assert_error(resp, 401, "UNAUTHENTICATED")
    await create_staff("win1", "window", "GA")
    staff_headers = await live.api.staff_headers("win1")
    resp = await live.client.put(
        f"/api/v1/applications/{case.id}/delivery", json=ADDRESS, headers=staff_headers
    )
    assert_error(resp, 403, "FORBIDDEN")


async def test_staff_shipment_list_masks_the_recipient(live):
    alice, headers = await citizen(live.api, "alice")
    case = await make_case(alice, status="approved")
    assert (
        await live.client.put(f"/api/v1/applications/{case.id}/delivery", json=ADDRESS, headers=headers)
    ).status_code == 200
    clerk = await create_staff("win1", "window", "GA")
    await create_staff("other", "window", "MZ")
    from citizen_api.cases.models import Application
    from citizen_api.delivery import service

    async with atomic():
        await service.record_post_delivery(
            live.state,
            await Application.get(id=case.id),
            "ems",
            s10("12345678"),
            Principal(clerk.id, "window", "GA"),
        )
    resp = await live.client.get("/api/v1/staff/shipments", headers=await live.api.staff_headers("win1"))
    assert resp.status_code == 200, resp.text
    [row] = resp.json()["items"]
    assert row["recipient"]["phone"] == "138****8000"
    assert row["recipient"]["name"] == "张*"
    assert "397" not in row["recipient"]["address"] and row["recipient"]["address"].endswith("****")
    assert row["recipient"]["district"] == "海珠区"
    # another department's clerk sees nothing of it
    other = await live.client.get("/api/v1/staff/shipments", headers=await live.api.staff_headers("other"))
    assert other.json()["total"] == 0
