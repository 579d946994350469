"""ID numbers and phones: full-width input means the same person (one blind index), other scripts'
digits are refused, and every wrong phone gets the same message — in the profile, in postal
addresses and in the public progress query."""

from __future__ import annotations

import pytest

from citizen_api.security.identity import id_check_char
from citizen_api.users.models import User
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.delivery_fixtures import ADDRESS, make_case
from tests.delivery_fixtures import citizen as live_citizen

BODY = "44052419800101001"
ID_ASCII = BODY + id_check_char(BODY)  # 440524198001010013
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PHONE_MESSAGE = "手机号码格式不正确"
WRONG_PHONES = [
    "1380013800",  # one digit short
    "138001380001",  # one digit long
    "12800138000",  # no such prefix
    "1",
    "phone-number",
    "13800138000".translate(ARABIC_INDIC),
    "13800١٣٨٠٠٠",  # mixed scripts
    "１２８００１３８０００",  # full-width, but still no such prefix
    "138" + "0" * 80,  # long input
]


def _profile(id_number: str = ID_ASCII, phone: str = "13800138000") -> dict:
    return {"name": "张三", "id_number": id_number, "phone": phone}


async def test_full_width_id_number_is_the_same_person(api, client, settings):
    """Two WeChat accounts of one person, the second typing in full width (a Chinese input method):
    one spelling is stored, hence one blind index — the key that finds a person across accounts."""
    from citizen_api.users.service import decrypt_profile

    first = await api.citizen_headers("phone-one")
    second = await api.citizen_headers("phone-two")
    ok = await client.put("/api/v1/me/profile", json=_profile(), headers=first)
    assert ok.status_code == 200, ok.text
    wide = _profile(f" {ID_ASCII.translate(FULL_WIDTH)}\u3000", "＋８６ １３８－００１３－８０００")
    resp = await client.put("/api/v1/me/profile", json=wide, headers=second)
    assert resp.status_code == 200, resp.text
    assert resp.json()["id_number"] == "440***********0013" and resp.json()["phone"] == "138****8000"

    one, two = await User.filter(role="citizen").order_by("id")
    assert one.id_number_index == two.id_number_index and one.phone_index == two.phone_index
    clear = decrypt_profile(two, settings)
    assert (clear["id_number"], clear["phone"]) == (ID_ASCII, "13800138000")


async def test_full_width_check_character_x_is_accepted(api, client):
    headers = await api.citizen_headers()
    wide = "11010519491231002X".translate(FULL_WIDTH)
    resp = await client.put("/api/v1/me/profile", json=_profile(wide), headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["id_number"] == "110***********002X"


@pytest.mark.parametrize(
    "id_number",
    [
        ID_ASCII.translate(ARABIC_INDIC),
        ID_ASCII[:6] + ID_ASCII[6:].translate(ARABIC_INDIC),
        # passed the old \d check: a second spelling of the same person, another blind index
        ID_ASCII[:6] + ID_ASCII[6:17].translate(ARABIC_INDIC) + ID_ASCII[17],
        "４４０５２４１９８００１０１００１" + "٣",
        "12345",  # short: the same message as a wrong check character, not 内容过短
        ID_ASCII[:17] + "9",
    ],
)
async def test_other_digits_and_bad_id_numbers_get_one_message(api, client, id_number):
    headers = await api.citizen_headers()
    resp = await client.put("/api/v1/me/profile", json=_profile(id_number), headers=headers)
    err = assert_error(resp, 422, "VALIDATION_ERROR")
    assert err["details"]["fields"] == {"body.id_number": "身份证号码不正确（校验位或出生日期有误）"}


async def test_every_wrong_profile_phone_gets_the_same_message(api, client):
    headers = await api.citizen_headers()
    for phone in WRONG_PHONES:
        resp = await client.put("/api/v1/me/profile", json=_profile(phone=phone), headers=headers)
        err = assert_error(resp, 422, "VALIDATION_ERROR")
        assert err["details"]["fields"] == {"body.phone": PHONE_MESSAGE}, phone
    number = await client.put("/api/v1/me/profile", json=_profile(phone=13800138000), headers=headers)
    assert assert_error(number, 422, "VALIDATION_ERROR")["details"]["fields"] == {"body.phone": "应为文字"}


async def test_postal_address_phone_is_normalised_and_checked_the_same_way(api, client):
    alice, headers = await live_citizen(api, "alice")
    case = await make_case(alice, status="accepted")
    url = f"/api/v1/applications/{case.id}/delivery"
    for phone in WRONG_PHONES:
        resp = await client.put(url, json={**ADDRESS, "phone": phone}, headers=headers)
        err = assert_error(resp, 422, "VALIDATION_ERROR")
        assert err["details"]["fields"] == {"body.phone": PHONE_MESSAGE}, phone
    resp = await client.put(url, json={**ADDRESS, "phone": "１３８ ００１３ ８０００"}, headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["address"]["phone"] == "13800138000"


async def test_progress_query_takes_a_full_width_tail_and_refuses_other_digits(api, client):
    item = await f.published_item()
    alice = await f.citizen(api, client, phone="１３８１２３４５６７８")  # typed in full width
    number = (await f.submit(client, alice, item))["number"]
    for tail in ("5678", "５６７８", " ５６７８ "):
        resp = await client.get("/api/v1/progress", params={"number": number, "phone_tail": tail})
        assert resp.status_code == 200, (tail, resp.text)
        assert resp.json()["number"] == number
    for tail in ("5678".translate(ARABIC_INDIC), "567", "56789"):
        resp = await client.get("/api/v1/progress", params={"number": number, "phone_tail": tail})
        assert_error(resp, 404, "NOT_FOUND")
