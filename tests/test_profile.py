"""Profile: GB 11643 checksum, mobile format, encrypted at rest, masked in answers."""

from __future__ import annotations

import pytest

from citizen_api.security.identity import id_check_char, is_valid_id_number
from citizen_api.users.models import User
from tests.conftest import assert_error

VALID_ID = "11010519491231002X"  # the standard's published example


def test_checksum_examples():
    assert is_valid_id_number(VALID_ID)
    body = "44052419800101001"
    assert is_valid_id_number(body + id_check_char(body))
    assert not is_valid_id_number("440524188001010014")  # born before 1900
    assert not is_valid_id_number("110105194912310021")  # wrong check character
    assert not is_valid_id_number("110105194913310028")  # month 13
    assert id_check_char("11010519491231002") == "X"


async def test_profile_is_encrypted_and_masked(api, client):
    headers = await api.citizen_headers()
    resp = await client.put(
        "/api/v1/me/profile",
        headers=headers,
        json={"name": "张三丰", "id_number": "11010519491231002x", "phone": "+86 138-0013-8000"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["id_number"] == "110***********002X"
    assert body["phone"] == "138****8000"
    assert body["name"] == "张*丰"
    assert body["profile_complete"] is True

    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["phone"] == "138****8000" and me["id_number"] == "110***********002X"

    stored = await User.get(id=me["id"])
    for column in (stored.name_enc, stored.id_number_enc, stored.phone_enc):
        assert column.startswith("v1:")
    raw = "".join(
        [stored.name_enc, stored.id_number_enc, stored.phone_enc, stored.id_number_index, stored.phone_index]
    )
    assert "13800138000" not in raw and "11010519491231002X" not in raw and "张三丰" not in raw


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "110105194912310021"),
        ("id_number", "12345"),
        ("phone", "12800138000"),
        ("phone", "1380013800"),
        ("name", "x"),
        ("name", "<script>"),
    ],
)
async def test_profile_rejects_bad_values(api, client, field, value):
    headers = await api.citizen_headers()
    payload = {"name": "张三", "id_number": VALID_ID, "phone": "13800138000", field: value}
    err = assert_error(
        await client.put("/api/v1/me/profile", headers=headers, json=payload), 422, "VALIDATION_ERROR"
    )
    assert f"body.{field}" in err["details"]["fields"]


async def test_new_citizen_profile_is_incomplete(api, client):
    headers = await api.citizen_headers("newbie")
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["profile_complete"] is False and me["phone"] is None
