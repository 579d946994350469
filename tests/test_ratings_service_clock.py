"""A rating, its rectification's notes and an appeal are stamped by the service clock — the clock
their deadlines are counted on — so a clerk never sees 评价时间 after its own 回访期限."""

from __future__ import annotations

from datetime import datetime

from citizen_api import clock
from tests.conftest import create_staff
from tests.delivery_fixtures import citizen, make_case

# a Friday in the past; tokens minted on the wall clock stay valid on it
RATED_AT = datetime(2026, 10, 9, 10, 30, tzinfo=clock.CST)


async def test_a_bad_rating_its_notes_and_appeal_carry_the_service_clock(api, client):
    clock.set_now(RATED_AT)
    alice, headers = await citizen(api, "alice")
    case = await make_case(alice, status="approved")
    resp = await client.post(f"/api/v1/applications/{case.id}/rating", json={"level": 1}, headers=headers)
    assert resp.status_code == 201, resp.text
    rating = resp.json()
    assert rating["created_at"] == "2026-10-09T10:30:00+08:00"

    await create_staff("wangfang", "window", "GA")
    clerk = await api.staff_headers("wangfang")
    appeal = await client.post(
        f"/api/v1/staff/ratings/{rating['id']}/appeal", json={"reason": "评价人误选了事项"}, headers=clerk
    )
    assert appeal.status_code in (200, 201), appeal.text
    assert appeal.json()["filed_at"] == "2026-10-09T10:30:00+08:00"
    detail = (await client.get(f"/api/v1/staff/ratings/{rating['id']}", headers=clerk)).json()
    assert detail["created_at"] == "2026-10-09T10:30:00+08:00"
    assert [note["at"] for note in detail["notes"]] == ["2026-10-09T10:30:00+08:00"]  # 差评自动转办
    assert detail["visit_due"] > "2026-10-09"  # counted from the same day
