"""The demo bundles for ``onetrip seed-demo`` (after the demo catalog; idempotent): five 一件事 over
several departments, with the demo catalog's item codes (``citizen_api.catalog.demo``)."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.bundles import repository as repo
from citizen_api.catalog import service as catalog

# (code, name, description, [item codes in the guide's order])
DEMO_BUNDLES: list[tuple[str, str, str, list[str]]] = [
    (
        "birth",
        "出生一件事",
        "新生儿出生后，一次申请办好出生医学证明、户口登记、城乡居民医保参保和社会保障卡",
        ["WJ378098", "GA642356", "YB721447", "RS217356"],
    ),
    (
        "business_start",
        "开办企业一件事",
        "一次申请办好公司设立登记、公章刻制备案、新办纳税人涉税事项确认和企业职工参保登记",
        ["SCJG563805", "GA554393", "SW292665", "RS883707"],
    ),
    (
        "death",
        "身故一件事",
        "亲人离世后，一次申请办好户口注销、惠民殡葬补贴和参保人员丧葬补助金、抚恤金",
        ["GA706002", "MZ778151", "RS122081"],
    ),
    (
        "relocation",
        "迁居一件事",
        "投靠落户时一次申请办好户籍迁入、基本医疗保险关系转移接续和随迁子女入学",
        ["GA849849", "YB353976", "JY494107"],
    ),
    (
        "retirement",
        "退休一件事",
        "到龄退休时一次申请办好养老保险待遇申领、住房公积金提取和老年人优待证",
        ["RS851779", "GJJ841422", "MZ067465"],
    ),
]


async def seed(settings) -> str:
    added = published = 0
    for sort, (code, name, description, items) in enumerate(DEMO_BUNDLES, start=1):
        bundle = await repo.bundle_by_code(code)
        if bundle is None:
            bundle = await repo.create_bundle(
                code=code, name=name, description=description, item_codes=items, sort=sort
            )
            added += 1
        found = {i.code: i for i in await catalog.items_by_codes(bundle.item_codes)}
        ready = all(code in found and found[code].is_published for code in bundle.item_codes)
        if bundle.status != "published" and ready:
            await repo.update_bundle(bundle, status="published", published_at=clock.now())
            published += 1
    return f"bundles: {added} added, {published} published"
