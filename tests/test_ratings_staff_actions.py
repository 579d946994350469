"""The staff rating view's ``actions`` are exactly the steps its endpoints then take for that person:
the department's clerk is offered the return visit first, 整改 only after it, 申诉 until one is pending;
a supervisor is offered none of the department's steps."""

from __future__ import annotations

from tests.conftest import create_staff
from tests.delivery_fixtures import citizen, make_case

STEP = {
    "reveal_contact": ("reveal", {"reason": "差评回访"}),
    "return_visit": ("return-visit", {"note": "已电话回访，说明了补正要求"}),
    "rectify": ("rectify", {"note": "窗口增加了材料清单的示例"}),
    "appeal": ("appeal", {"reason": "评价人误选了事项"}),
}


async def _actions(client, rating_id: int, headers) -> list[str]:
    detail = await client.get(f"/api/v1/staff/ratings/{rating_id}", headers=headers)
    assert detail.status_code == 200, detail.text
    listed = await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=headers)
    [row] = [r for r in listed.json()["items"] if r["id"] == rating_id]
    assert row["actions"] == detail.json()["actions"]  # the list offers what the detail does
    return detail.json()["actions"]


async def _take(client, rating_id: int, action: str, headers) -> None:
    path, body = STEP[action]
    resp = await client.post(f"/api/v1/staff/ratings/{rating_id}/{path}", json=body, headers=headers)
    assert resp.status_code in (200, 201), f"{action}: {resp.text}"


async def test_every_offered_step_is_taken_and_none_other_is_offered(api, client):
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, status="approved")
    resp = await client.post(f"/api/v1/applications/{case.id}/rating", json={"level": 1}, headers=headers)
    rating_id = resp.json()["id"]
    await create_staff("wangfang", "window", "GA")
    await create_staff("jiandu", "supervisor", None)
    clerk, supervisor = await api.staff_headers("wangfang"), await api.staff_headers("jiandu")

    assert await _actions(client, rating_id, supervisor) == []
    assert await _actions(client, rating_id, clerk) == ["reveal_contact", "return_visit", "appeal"]
    refused = await client.post(
        f"/api/v1/staff/ratings/{rating_id}/rectify", json={"note": "先整改"}, headers=clerk
    )
    assert refused.status_code == 409  # not offered, and indeed refused

    await _take(client, rating_id, "return_visit", clerk)
    assert await _actions(client, rating_id, clerk) == ["reveal_contact", "rectify", "appeal"]
    await _take(client, rating_id, "appeal", clerk)
    assert await _actions(client, rating_id, clerk) == ["reveal_contact", "rectify"]
    for action in await _actions(client, rating_id, clerk):
        await _take(client, rating_id, action, clerk)
    assert await _actions(client, rating_id, clerk) == ["reveal_contact"]
