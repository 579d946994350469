"""Validators for Chinese personal identifiers: GB 11643 ID numbers and mainland mobiles."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """GB 11643-1999: 18 characters, a real birth date, ISO 7064 MOD 11-2 check character."""
    value = value.upper()
    if not _ID_RE.match(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    return id_check_char(value[:17]) == value[17]


def normalise_id_number(value: str) -> str:
    return value.strip().upper()


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match(value))


def normalise_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def checked_mobile(value: str) -> str:
    value = normalise_mobile(value)
    if not is_valid_mobile(value):
        raise ValueError("手机号码格式不正确")
    return value


# a field type for every schema that takes a mainland mobile number (profile, postal address)
MobileNumber = Annotated[str, AfterValidator(checked_mobile)]
