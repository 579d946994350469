"""The guide editor shows each broken catalog rule at its field: details.fields beside details.violations."""

from __future__ import annotations

import pytest

from tests.catalog_fixtures import admin_headers, content_of, full_item
from tests.conftest import assert_error

ADMIN = "/api/v1/admin/catalog"


@pytest.fixture
async def admin(api, client):
    headers = await admin_headers(api)
    department = {"code": "GA", "name": "市公安局", "sort": 1, "phone": "0571-1", "address": "大道 1 号"}
    assert (await client.post(f"{ADMIN}/departments", json=department, headers=headers)).status_code == 201
    return headers


async def test_every_broken_rule_names_its_field(client, admin, database_url):
    item = full_item(promised_days=30, statutory_days=20, visits_reason="", fees=[])
    error = assert_error(
        await client.post(f"{ADMIN}/items", json=item, headers=admin), 422, "PROMISED_EXCEEDS_STATUTORY"
    )
    details = error["details"]
    assert {v["code"]: v["field"] for v in details["violations"]} == {
        "PROMISED_EXCEEDS_STATUTORY": "promised_days",
        "VISITS_REASON_REQUIRED": "visits_reason",
        "FEES_MISMATCH": "fees",
    }
    assert details["fields"] == {
        "body.promised_days": "承诺办结时限不能超过法定办结时限",
        "body.visits_reason": "到办事现场次数大于 0 时必须说明理由",
        "body.fees": "收费事项必须列出收费项目和标准，不收费的事项不能列出收费项目",
    }


async def test_a_draft_edit_names_the_field_too(client, admin):
    good = full_item()
    assert (await client.post(f"{ADMIN}/items", json=good, headers=admin)).status_code == 201
    body = content_of(full_item(online=False))
    resp = await client.put(f"{ADMIN}/items/{good['code']}/draft", json=body, headers=admin)
    error = assert_error(resp, 422, "ONLINE_DEPTH_MISMATCH")
    assert error["details"]["fields"] == {"body.online_depth": error["message"]}
    # the draft kept its last good content
    detail = (await client.get(f"{ADMIN}/items/{good['code']}", headers=admin)).json()
    assert detail["draft"]["online"] is True
