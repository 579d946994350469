"""EMS waybill numbers: UPU S10 check digits (computed here by hand and by the rule) and domestic form."""

from __future__ import annotations

import pytest

from citizen_api.delivery.waybill import WaybillError, is_valid_ems, normalise, s10_check_digit
from tests.delivery_fixtures import s10


def test_upu_published_example():
    # UPU S10's worked example: serial 47312482 → 4·8+7·6+3·4+1·2+2·3+4·5+8·9+2·7 = 200,
    # 200 mod 11 = 2, 11 − 2 = 9
    assert s10_check_digit("47312482") == 9
    assert is_valid_ems("EA473124829CN")
    assert not is_valid_ems("EA473124828CN")


def _serial_with_raw_check(raw: int) -> str:
    """A serial whose 11 − (S mod 11) is ``raw`` (10 and 11 are the special cases)."""
    for n in range(10_000_000, 10_100_000):
        serial = str(n)
        total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
        if 11 - total % 11 == raw:
            return serial
    raise AssertionError("no serial found")


def test_check_digit_special_cases():
    ten = _serial_with_raw_check(10)  # 10 → 0
    eleven = _serial_with_raw_check(11)  # 11 → 5 (S divisible by 11)
    assert s10_check_digit(ten) == 0
    assert s10_check_digit(eleven) == 5
    assert is_valid_ems(f"EB{ten}0CN")
    assert is_valid_ems(f"EZ{eleven}5CN")
    assert not is_valid_ems(f"EB{ten}1CN")


@pytest.mark.parametrize("serial", ["12345678", "00000000", "99999999", "20240501", "31415926"])
def test_every_wrong_check_digit_is_refused(serial):
    good = s10(serial)
    assert is_valid_ems(good)
    for digit in "0123456789":
        candidate = good[:10] + digit + good[11:]
        assert is_valid_ems(candidate) == (candidate == good)


@pytest.mark.parametrize(
    "number",
    [
        "RA123456785CN",  # not an EMS series (EA–EZ)
        "EA12345678CN",  # serial too short
        "EA1234567855CN",
        "EA123456785US",  # not posted in China
        "1234567890",  # domestic numbers have 13 digits
        "12345678901234",
        "123456789012X",
        "",
    ],
)
def test_malformed_ems_numbers(number):
    assert not is_valid_ems(number)
    with pytest.raises(WaybillError):
        normalise("ems", number)


def test_domestic_and_normalised_forms():
    assert normalise("ems", "1234567890123") == "1234567890123"
    assert normalise("ems", " ea 473124829 cn ") == "EA473124829CN"
    assert normalise("ems", "EA-4731-2482-9CN") == "EA473124829CN"
    assert normalise("shunfeng", "sf1234567890") == "SF1234567890"
    with pytest.raises(WaybillError):
        normalise("nosuchcourier", "1234567890123")
