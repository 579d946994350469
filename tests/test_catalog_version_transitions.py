"""The item-version lifecycle table (catalog.transitions), walked: every transition it lists happens
through the admin API, every other one is refused, and a version that moved meanwhile is not moved
again (conditional UPDATE: the second publisher gets 409 CONFLICT)."""

from __future__ import annotations

import itertools

import pytest

from citizen_api.catalog import admin as catalog_admin
from citizen_api.catalog import transitions
from citizen_api.catalog.transitions import VERSION_ACTIONS, VERSION_STATUSES, VERSION_TRANSITIONS
from citizen_api.errors import ApiError
from citizen_api.openapi_dump import served_spec
from tests.catalog_fixtures import admin_headers, content_of, full_item

ADMIN = "/api/v1/admin/catalog"
ITEMS = "/api/v1/items"
CODE = "GA-LIFE-01"


@pytest.fixture
async def admin(api, client):
    headers = await admin_headers(api)
    department = {"code": "GA", "name": "市公安局", "sort": 1, "phone": "110", "address": "市民大道 1 号"}
    assert (await client.post(f"{ADMIN}/departments", json=department, headers=headers)).status_code == 201
    return headers


def statuses(detail: dict) -> dict[int, str]:
    return {v["version"]: v["status"] for v in detail["versions"]}


async def test_every_listed_transition_happens_through_the_admin_api(client, admin):
    walked: set[tuple[str, str]] = set()
    created = await client.post(f"{ADMIN}/items", json=full_item(code=CODE), headers=admin)
    assert created.status_code == 201, created.text
    assert statuses(created.json()) == {1: "draft"}

    first = await client.post(f"{ADMIN}/items/{CODE}/publish", headers=admin)
    assert first.status_code == 200, first.text
    assert statuses(first.json()) == {1: "published"}  # draft --publish--> published
    walked.add(("draft", "publish"))
    assert (await client.get(f"{ITEMS}/{CODE}")).json()["status"] == "published"

    draft = content_of(full_item(code=CODE, name="测试犬只免疫证明核发（新版）"))
    assert (await client.put(f"{ADMIN}/items/{CODE}/draft", json=draft, headers=admin)).status_code == 200
    second = await client.post(f"{ADMIN}/items/{CODE}/publish", headers=admin)
    assert second.status_code == 200, second.text
    # the new draft is published, the version it replaces retires (published --retire--> retired)
    assert statuses(second.json()) == {1: "retired", 2: "published"}
    walked.update({("draft", "publish"), ("published", "retire")})
    old = await client.get(f"{ITEMS}/{CODE}/versions/1")
    assert old.status_code == 200 and old.json()["status"] == "retired"

    assert walked == set(VERSION_TRANSITIONS)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        pair
        for pair in itertools.product(VERSION_STATUSES, VERSION_ACTIONS)
        if pair not in VERSION_TRANSITIONS
    ],
)
def test_every_other_transition_is_refused(status, action):
    with pytest.raises(transitions.VersionTransitionRefused):
        transitions.target(status, action)


async def test_a_version_that_moved_meanwhile_is_not_moved_again(client, admin):
    await client.post(f"{ADMIN}/items", json=full_item(code=CODE), headers=admin)
    detail = (await client.post(f"{ADMIN}/items/{CODE}/publish", headers=admin)).json()
    version_id = detail["versions"][0]["id"]
    # a second publisher that read the version while it was still a draft
    with pytest.raises(ApiError) as refused:
        await catalog_admin._move_version(version_id, "draft", "publish")
    assert (refused.value.status, refused.value.code) == (409, "CONFLICT")
    after = (await client.get(f"{ADMIN}/items/{CODE}", headers=admin)).json()
    assert statuses(after) == {1: "published"}


def test_the_served_status_enums_are_the_table_statuses():
    schemas = served_spec()["components"]["schemas"]
    assert schemas["VersionInfo"]["properties"]["status"]["enum"] == list(VERSION_STATUSES)
    assert schemas["ItemDetail"]["properties"]["status"]["enum"] == list(VERSION_STATUSES)
