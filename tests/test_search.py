"""Search as a citizen types it: words, pinyin initials, typos, colloquial names; ranking."""

from __future__ import annotations

import asyncio

import pytest

from tests.catalog_fixtures import (  # noqa: F401  (fixtures)
    admin_headers,
    seeded_sqlite_template,
    seeded_url,
)
from tests.conftest import assert_error, make_settings

ITEMS = "/api/v1/items"


@pytest.fixture
def database_url(seeded_url):
    """Every test here searches the demo catalog."""
    return seeded_url


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    # reload view counts into the ranking quickly, so a test can watch popularity take effect
    return make_settings(tmp_path, database_url, wechat_sim.base_url, catalog_popularity_seconds=0.2,
                         catalog_refresh_seconds=0.1)  # fmt: skip


async def names(client, q: str, **params) -> list[str]:
    resp = await client.get(ITEMS, params={"q": q, "size": 20, **params})
    assert resp.status_code == 200, resp.text
    return [i["name"] for i in resp.json()["items"]]


# (what the citizen types, what the first hit's name must contain)
WORDS = [
    ("居民身份证补领", "居民身份证补领"),
    ("营业执照", "营业执照"),
    ("公积金提取", "住房公积金提取"),
    ("个体工商户设立", "个体工商户设立登记"),
    ("异地就医", "异地就医备案"),
    ("教师资格认定", "教师资格认定"),
    ("二手房过户", "存量房买卖转移登记"),
    ("护照", "普通护照"),
]
INITIALS = [
    ("yyzz", "营业执照"),
    ("gtgsh", "个体工商户"),
    ("sbk", "社会保障卡"),
    ("gjjtq", "住房公积金提取"),
    ("YYZZ", "营业执照"),
    ("yingyezhizhao", "营业执照"),
    ("ju min shen fen zheng", "居民身份证"),
]
TYPOS = [
    ("营业执找", "营业执照"),  # same sound, wrong character
    ("住房公机金提取", "住房公积金提取"),
    ("居民身分证补领", "居民身份证补领"),
    ("结昏登记", "结婚登记"),
    ("居民身伤证补领", "居民身份证补领"),  # a different sound: shared characters carry it
    ("yingyezhizao", "营业执照"),  # a slip in pinyin
    ("驾找", "机动车驾驶证"),  # typo of a colloquial name
]
SYNONYMS = [
    ("身份证", "居民身份证"),
    ("驾照", "机动车驾驶证"),
    ("社保", "社会保"),
    ("公积金", "住房公积金"),
    ("户口", "户"),
    ("准生证", "生育服务登记"),
    ("驾照到期", "机动车驾驶证有效期满换证"),
    ("身份证丢了怎么办", "居民身份证补领"),
    ("开饭店", "食品经营许可"),
    ("低保", "最低生活保障"),
    ("房产证丢了", "不动产权证书补证"),
    ("失业金", "失业保险金"),
]


@pytest.mark.parametrize(("q", "expected"), WORDS + INITIALS + TYPOS + SYNONYMS)
async def test_query_finds_the_expected_item_first(client, q, expected):
    found = await names(client, q)
    assert found, f"{q!r} found nothing"
    assert expected in found[0], f"{q!r} → {found[:5]}"


async def test_search_is_precise_and_filterable(client):
    found = await names(client, "住房公积金提取")
    assert found and all("公积金" in n for n in found)
    assert not await names(client, "量子计算机")
    assert not await names(client, "xqzv")
    online = await names(client, "身份证", online="true")
    assert online and "临时居民身份证申领" not in online  # a window-only item
    business = await names(client, "营业执照", audience="business")
    assert business and "个体工商户设立登记" not in business
    exact = (await client.get(ITEMS, params={"q": "gtgsh", "size": 1})).json()
    assert exact["total"] >= 3 and len(exact["items"]) == 1


async def test_relevance_first_then_popularity(client, api):
    """Three items match 身份证 equally; the one citizens open most comes first. A less relevant
    item stays behind them however popular it is."""
    first = await names(client, "身份证")
    top_three = set(first[:3])
    assert top_three == {"居民身份证首次申领", "居民身份证换领", "居民身份证补领"}
    codes = {i["name"]: i["code"] for i in (await client.get(ITEMS, params={"q": "身份证"})).json()["items"]}
    least = first[2]
    citizen = await api.citizen_headers()
    for _ in range(3):
        assert (await client.get(f"{ITEMS}/{codes[least]}", headers=citizen)).status_code == 200
    for _ in range(8):
        await client.get(f"{ITEMS}/{codes['临时居民身份证申领']}", headers=citizen)
    for _ in range(100):  # the index reloads view counts every 0.2 s here
        ranked = await names(client, "身份证")
        if ranked[0] == least:
            break
        await asyncio.sleep(0.1)
    assert ranked[0] == least, ranked
    assert set(ranked[:3]) == top_three  # 临时居民身份证申领 is more popular but less relevant


async def test_admins_extend_the_synonyms(client, api):
    headers = await admin_headers(api)
    assert not any("机动车驾驶证" in n for n in await names(client, "车本本"))
    added = await client.post(
        "/api/v1/admin/catalog/synonyms",
        json={"term": "车本本", "canonical": "机动车驾驶证"},
        headers=headers,
    )
    assert added.status_code == 201, added.text
    assert "机动车驾驶证" in (await names(client, "车本本"))[0]
    assert "机动车驾驶证" in (await names(client, "cbb"))[0]  # its initials work too
    listed = (await client.get("/api/v1/admin/catalog/synonyms", headers=headers)).json()
    assert {"id": added.json()["id"], "term": "车本本", "canonical": "机动车驾驶证"} in listed
    assert ("身份证", "居民身份证") in {(s["term"], s["canonical"]) for s in listed}

    again = await client.post(
        "/api/v1/admin/catalog/synonyms",
        json={"term": "车本本", "canonical": "机动车驾驶证"},
        headers=headers,
    )
    assert_error(again, 409, "SYNONYM_EXISTS")
    same = {"term": "护照", "canonical": " 护照 "}
    assert_error(
        await client.post("/api/v1/admin/catalog/synonyms", json=same, headers=headers),
        422,
        "SYNONYM_SAME_AS_TERM",
    )
    citizen = await api.citizen_headers()
    assert_error(await client.get("/api/v1/admin/catalog/synonyms", headers=citizen), 403, "FORBIDDEN")

    deleted = await client.delete(f"/api/v1/admin/catalog/synonyms/{added.json()['id']}", headers=headers)
    assert deleted.status_code == 204
    assert not any("机动车驾驶证" in n for n in await names(client, "车本本"))
    missing = await client.delete(f"/api/v1/admin/catalog/synonyms/{added.json()['id']}", headers=headers)
    assert_error(missing, 404, "NOT_FOUND")
