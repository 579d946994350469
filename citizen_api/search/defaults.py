"""The catalog's own terms, kept whole by the word segmenter (with every synonym's both sides and
every item's keywords, added at each build). The synonyms themselves are catalog data (``catalog.seed``)."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


DEFAULT_TERMS: list[str] = _words(
    """
营业执照 个体工商户 居民身份证 临时居民身份证 居民户口簿 户籍 居住证 住房公积金 社会保险 社会保障卡
机动车驾驶证 机动车行驶证 机动车号牌 机动车登记证书 不动产权证书 不动产登记 转移登记 抵押登记
普通护照 往来港澳通行证 往来台湾通行证 出入境 签注 最低生活保障 特困人员 临时救助 残疾人证
退役军人 优待证 出生医学证明 生育服务登记 结婚登记 离婚登记 收养登记 医疗保险 异地就医
失业保险金 养老保险待遇 工伤保险 生育保险 食品经营许可 税务登记 增值税 个人所得税 发票
网络预约出租汽车 道路运输证 从业资格证 教师资格 学历证明 健康证明 公证 法律援助 申领 补领 换领
"""
)
