"""Demo catalog for ``onetrip seed-demo`` (runs in the seed's transaction, before the staff), and the
built-in synonyms.

The synonyms are only the starting list: they are loaded into the ``search_synonyms`` table
(``onetrip seed-demo`` or ``onetrip catalog seed-synonyms``) and admins edit them through
``/api/v1/admin/catalog/synonyms``.
"""

from __future__ import annotations

from citizen_api.catalog import transfer
from citizen_api.catalog.demo import demo_catalog
from citizen_api.catalog.repository import index as index_repo

# (what a citizen types, the catalog's word for it)
DEFAULT_SYNONYMS: list[tuple[str, str]] = [
    ("身份证", "居民身份证"),
    ("二代证", "居民身份证"),
    ("驾照", "机动车驾驶证"),
    ("驾驶证", "机动车驾驶证"),
    ("驾驶本", "机动车驾驶证"),
    ("行驶本", "机动车行驶证"),
    ("车牌", "机动车号牌"),
    ("社保", "社会保险"),
    ("社保卡", "社会保障卡"),
    ("医保卡", "社会保障卡"),
    ("医保", "医疗保险"),
    ("公积金", "住房公积金"),
    ("户口", "户籍"),
    ("户口本", "居民户口簿"),
    ("上户口", "出生登记"),
    ("新生儿落户", "出生登记"),
    ("准生证", "生育服务登记"),
    ("生育登记", "生育服务登记"),
    ("出生证", "出生医学证明"),
    ("房产证", "不动产权证书"),
    ("房本", "不动产权证书"),
    ("过户", "转移登记"),
    ("抵押", "抵押登记"),
    ("护照", "普通护照"),
    ("港澳通行证", "往来港澳通行证"),
    ("台湾通行证", "往来台湾通行证"),
    ("执照", "营业执照"),
    ("营业证", "营业执照"),
    ("个体户", "个体工商户"),
    ("开店", "个体工商户设立登记"),
    ("开公司", "公司设立登记"),
    ("注册公司", "公司设立登记"),
    ("失业金", "失业保险金"),
    ("养老金", "养老保险待遇"),
    ("退休", "养老保险待遇"),
    ("低保", "最低生活保障"),
    ("残疾证", "残疾人证"),
    ("退伍", "退役"),
    ("老年证", "老年人优待证"),
    ("暂住证", "居住证"),
    ("健康证", "健康证明"),
    ("网约车", "网络预约出租汽车"),
    ("个税", "个人所得税"),
    ("结婚", "结婚登记"),
    ("领证", "结婚登记"),
    ("离婚", "离婚登记"),
    ("报销", "费用报销"),
    ("异地看病", "异地就医"),
    ("食品许可", "食品经营许可"),
    ("办证", "申领"),
    ("补办", "补领"),
    ("换证", "换领"),
]


async def add_default_synonyms() -> int:
    added = 0
    for term, canonical in DEFAULT_SYNONYMS:
        if not await index_repo.synonym_exists(term, canonical):
            await index_repo.add_synonym(term, canonical)
            added += 1
    if added:
        await index_repo.bump_revision()
    return added


async def seed(settings) -> str:
    report = await transfer.import_catalog(transfer.parse(demo_catalog()))
    synonyms = await add_default_synonyms()
    return f"{report.line()}; default synonyms {synonyms} added"
