"""Waybill numbers: EMS numbers are checked before a courier is asked to track them.

EMS prints two forms at a hall's desk:
- international / UPU S10 (UPU standard S10): two letters (EMS uses EA–EZ), eight serial digits,
  a check digit, and the country code CN, e.g. ``EA123456785CN``. The check digit: weights
  8 6 4 2 3 5 9 7 over the serial digits, S = weighted sum, C = 11 − (S mod 11), with 10 → 0 and
  11 → 5;
- domestic: 13 digits (no public check-digit rule, so only the form is checked).
Other companies' numbers (mail-in by the citizen's own courier) are checked for shape only.
"""

from __future__ import annotations

import re

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10_RE = re.compile(r"^E[A-Z]\d{9}CN$")
_DOMESTIC_EMS_RE = re.compile(r"^\d{13}$")
_GENERIC_RE = re.compile(r"^[A-Z0-9]{6,32}$")

# kuaidi100 company codes the halls use (free post is EMS; citizens may send materials by others)
COMPANIES = {
    "ems": "中国邮政速递物流（EMS）",
    "youzhengguonei": "中国邮政快递包裹",
    "shunfeng": "顺丰速运",
    "zhongtong": "中通快递",
    "yuantong": "圆通速递",
    "yunda": "韵达快递",
    "shentong": "申通快递",
    "jd": "京东物流",
}


class WaybillError(ValueError):
    pass


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of eight serial digits."""
    if len(serial) != 8 or not serial.isdigit():
        raise WaybillError("S10 serial must be 8 digits")
    total = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def is_valid_ems(number: str) -> bool:
    if _DOMESTIC_EMS_RE.match(number):
        return True
    if _S10_RE.match(number):
        return s10_check_digit(number[2:10]) == int(number[10])
    return False


def normalise(company: str, number: str) -> str:
    """The number as couriers print it (upper case, no spaces), or :class:`WaybillError`."""
    number = re.sub(r"[\s-]", "", number).upper()
    if company == "ems":
        if not is_valid_ems(number):
            raise WaybillError(
                "EMS 运单号不正确（应为 13 位数字，或 EA–EZ 开头、校验位正确、CN 结尾的 13 位）"
            )
        return number
    if company not in COMPANIES:
        raise WaybillError("不支持的快递公司")
    if not _GENERIC_RE.match(number):
        raise WaybillError("运单号格式不正确")
    return number
