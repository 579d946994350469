"""Validators for Chinese personal identifiers: GB 11643 ID numbers and mainland mobiles.

Input is normalised before it is checked: NFKC turns full-width digits, letters and signs (what a
Chinese input method types: ``１３８００１３８０００``, ``Ｘ``, ``＋８６``) into ASCII, and spaces and dashes
are dropped. Only then is it validated, with ASCII digits only (``[0-9]``, never ``\\d``, which
also matches Arabic-Indic and other scripts' digits): one person has one spelling of their ID
number, hence one blind index. Every wrong value of a field gets the same message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[\s\-]")
_MAX_RAW = 64  # longer input is refused before it is normalised

ID_NUMBER_MESSAGE = "身份证号码不正确（校验位或出生日期有误）"
MOBILE_MESSAGE = "手机号码格式不正确"


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """GB 11643-1999: 18 characters, a real birth date, ISO 7064 MOD 11-2 check character.

    ``value`` must already be normalised (:func:`normalise_id_number`): non-ASCII digits fail."""
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


def ascii_form(value: str) -> str:
    """NFKC (full-width → ASCII) with spaces and dashes removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))


def normalise_id_number(value: str) -> str:
    return ascii_form(value).upper()


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match(value))


def normalise_mobile(value: str) -> str:
    value = ascii_form(value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def checked_mobile(value: str) -> str:
    value = normalise_mobile(value) if len(value) <= _MAX_RAW else ""
    if not is_valid_mobile(value):
        raise ValueError(MOBILE_MESSAGE)
    return value


def checked_id_number(value: str) -> str:
    value = normalise_id_number(value) if len(value) <= _MAX_RAW else ""
    if not is_valid_id_number(value):
        raise ValueError(ID_NUMBER_MESSAGE)
    return value


def normalise_phone_tail(value: str) -> str | None:
    """The last four digits of a phone, as typed (``５６７８`` too), or None when it is not four digits."""
    value = ascii_form(value) if len(value) <= _MAX_RAW else ""
    return value if re.fullmatch(r"[0-9]{4}", value) else None


def _before(check):
    """Run ``check`` on strings before any length rule of the field, so that every wrong value
    gets the field's one message (not 内容过短 for some); other types go on to 应为文字."""

    def validate(value: Any) -> Any:
        return check(value) if isinstance(value, str) else value

    return BeforeValidator(validate)


# field types for every schema that takes a mainland mobile number (profile, postal address) or a
# resident ID number (profile): normalised to ASCII, checked, one message for every wrong value
MobileNumber = Annotated[str, _before(checked_mobile)]
IdNumber = Annotated[str, _before(checked_id_number)]
