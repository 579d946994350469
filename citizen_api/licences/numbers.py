"""Licence numbers and the 统一社会信用代码 of a business licence (GB 32100-2015).

A credit code is 18 characters: the registering authority (9 = 市场监管) and the subject's kind
(1 企业, 2 个体工商户), the GB/T 2260 division of the registering office, the 9-character
organisation code (GB 11714: eight characters and a check character) and a check character
over the first seventeen. The organisation code's body is the issuing case's id, which is unique.
"""

from __future__ import annotations

from datetime import date, timedelta

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
DIVISION = "110105"  # the registering office's division (the demo centre's district)


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_check_char(body: str) -> str:
    """The ninth character of a GB 11714 organisation code."""
    check = 11 - sum(_value(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def is_credit_code(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in CREDIT_CHARS for c in code)
        and credit_check_char(code[:17]) == code[17]
        and org_check_char(code[8:16]) == code[16]
    )


def credit_code(case_id: int, individual: bool) -> str:
    body = f"{case_id % 100_000_000:08d}"
    first17 = ("92" if individual else "91") + DIVISION + body + org_check_char(body)
    return first17 + credit_check_char(first17)


def licence_number(prefix: str, case_number: str) -> str:
    """One licence per case: the type's prefix and the case number are unique together."""
    return f"{prefix}{case_number}"


def valid_until(valid_from: date, years: int | None) -> date | None:
    """The last day of validity (``years`` after, the day before); None = 长期有效."""
    if years is None:
        return None
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February into a common year
        end = valid_from.replace(year=valid_from.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)
