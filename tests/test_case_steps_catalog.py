"""电子监察 per step in the guide: an admin writes each step's limit and post with the item, the public
guide shows them, and every malformed step list is refused naming its field."""

from __future__ import annotations

import pytest

from tests.catalog_fixtures import admin_headers, content_of, full_item
from tests.conftest import assert_error

ADMIN = "/api/v1/admin/catalog"
STEPS = [
    {"code": "accept", "name": "受理", "days": 1, "post": "受理岗"},
    {"code": "review", "name": "审查", "days": 2, "post": "审核岗"},
    {"code": "deliver", "name": "送达", "days": 1, "post": "受理岗"},
]


@pytest.fixture
async def admin(api, client):
    headers = await admin_headers(api)
    department = {"code": "GA", "name": "市公安局", "sort": 1, "phone": "", "address": ""}
    assert (await client.post(f"{ADMIN}/departments", json=department, headers=headers)).status_code == 201
    return headers


async def test_steps_are_edited_with_the_item_and_shown_in_the_guide(client, admin):
    item = full_item(code="GA-STEP-1", steps=STEPS)
    assert (await client.post(f"{ADMIN}/items", json=item, headers=admin)).status_code == 201
    assert (await client.post(f"{ADMIN}/items/GA-STEP-1/publish", headers=admin)).status_code == 200
    guide = (await client.get("/api/v1/items/GA-STEP-1")).json()
    assert guide["steps"] == STEPS

    # a new draft without steps: the published guide keeps its steps until the draft is published
    edit = content_of(full_item(steps=[]))
    drafted = await client.put(f"{ADMIN}/items/GA-STEP-1/draft", json=edit, headers=admin)
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["draft"]["steps"] == [] and drafted.json()["published"]["steps"] == STEPS
    assert (await client.get("/api/v1/items/GA-STEP-1")).json()["steps"] == STEPS


BAD_STEPS = {
    "duplicate code": [STEPS[0], {**STEPS[1], "code": "accept"}],
    "code with capitals": [{**STEPS[0], "code": "Accept"}],
    "code too long": [{**STEPS[0], "code": "a" * 33}],
    "61 days": [{**STEPS[0], "days": 61}],
    "negative days": [{**STEPS[0], "days": -1}],
    "name of 33": [{**STEPS[0], "name": "受" * 33}],
    "empty post": [{**STEPS[0], "post": " "}],
    "post of 33": [{**STEPS[0], "post": "岗" * 33}],
    "13 steps": [
        {"code": f"s_{chr(97 + i)}", "name": f"环节{i}", "days": 0, "post": "岗"} for i in range(13)
    ],
    "unknown field": [{**STEPS[0], "holder": "王"}],
}


@pytest.mark.parametrize("case", sorted(BAD_STEPS))
async def test_malformed_steps_are_refused(client, admin, case):
    item = full_item(code="GA-STEP-2", steps=BAD_STEPS[case])
    error = assert_error(
        await client.post(f"{ADMIN}/items", json=item, headers=admin), 422, "VALIDATION_ERROR"
    )
    assert any(name.startswith("body.steps") for name in error["details"]["fields"]), error


async def test_step_limits_may_not_exceed_the_promised_time(client, admin):
    item = full_item(code="GA-STEP-3", promised_days=3, steps=[*STEPS, {**STEPS[1], "code": "decide"}])
    error = assert_error(
        await client.post(f"{ADMIN}/items", json=item, headers=admin), 422, "STEP_DAYS_EXCEED_PROMISED"
    )
    assert error["details"]["fields"] == {"body.steps": "各环节时限之和不能超过承诺办结时限（工作日）"}
