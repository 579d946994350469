"""申诉 over the real HTTP server: whoever filed an appeal can never decide it (one person could
otherwise take a bad rating out of the statistics alone); someone else still can."""

from __future__ import annotations

from datetime import datetime

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from citizen_api.ratings.models import Appeal, Rating
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, k100_sim, live, make_case  # noqa: F401

RATED_AT = datetime(2026, 3, 10, 10, 0, tzinfo=clock.CST)
STATS = "/api/v1/ratings/stats?department=GA&from=2026-03-01&to=2026-03-31"


async def _bad_rating(live) -> int:
    clock.set_now(RATED_AT)
    alice, headers = await citizen(live.api, "alice")
    case = await make_case(alice, department="GA")
    resp = await live.client.post(
        f"/api/v1/applications/{case.id}/rating", json={"level": 1, "tags": ["态度差"]}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def _counted(live) -> tuple[int, int]:
    overall = (await live.client.get(STATS)).json()["overall"]
    return overall["rated"], overall["bad"]


async def test_an_admin_cannot_decide_the_appeal_they_filed(live):
    rating_id = await _bad_rating(live)
    root = await create_staff("root", "admin", None)
    await create_staff("root2", "admin", None)
    await create_staff("boss", "supervisor", None)
    root_headers = await live.api.staff_headers("root")
    assert await _counted(live) == (1, 1)

    filed = await live.client.post(
        f"/api/v1/staff/ratings/{rating_id}/appeal",
        json={"reason": "该群众未到窗口办理，系误评"},
        headers=root_headers,
    )
    assert filed.status_code == 201, filed.text
    decide = f"/api/v1/staff/rating-appeals/{filed.json()['id']}/decide"

    # upholding one's own appeal is refused, and so is dismissing it: the filer never decides
    for uphold in (True, False):
        err = assert_error(
            await live.client.post(
                decide, json={"uphold": uphold, "reason": "自己批准"}, headers=root_headers
            ),
            403,
            "APPEAL_SELF_DECISION",
        )
        assert "本人" in err["message"]
    appeal = await Appeal.get(id=filed.json()["id"])
    assert (appeal.status, appeal.decided_by) == ("pending", None)
    rating = await Rating.get(id=rating_id)
    assert (rating.excluded, rating.exclusion_reason) == (False, "")
    assert await _counted(live) == (1, 1)  # the bad rating still counts
    # the refused attempts stay on record, by whom
    refused = await AuditLog.filter(action="rating.appeal_self_decision_refused").order_by("id")
    assert [(r.actor_id, r.object_id) for r in refused] == [(root.id, str(rating_id))] * 2

    # the appeal is still open for someone else: a second admin (or a supervisor) decides it
    pending = (
        await live.client.get("/api/v1/staff/rating-appeals?status=pending", headers=root_headers)
    ).json()
    assert pending["total"] == 1
    other = await live.api.staff_headers("root2")
    resp = await live.client.post(decide, json={"uphold": True, "reason": "核实为误评"}, headers=other)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "upheld"
    assert await _counted(live) == (0, 0)


async def test_a_clerks_appeal_is_decided_by_a_supervisor_not_by_the_clerk(live):
    rating_id = await _bad_rating(live)
    await create_staff("win1", "window", "GA")
    await create_staff("boss", "supervisor", None)
    win = await live.api.staff_headers("win1")
    filed = await live.client.post(
        f"/api/v1/staff/ratings/{rating_id}/appeal", json={"reason": "评价对象错误，系误评"}, headers=win
    )
    assert filed.status_code == 201, filed.text
    decide = f"/api/v1/staff/rating-appeals/{filed.json()['id']}/decide"
    assert_error(
        await live.client.post(decide, json={"uphold": True, "reason": "自己批"}, headers=win),
        403,
        "FORBIDDEN",
    )
    boss = await live.api.staff_headers("boss")
    resp = await live.client.post(decide, json={"uphold": False, "reason": "证据不足"}, headers=boss)
    assert resp.status_code == 200 and resp.json()["status"] == "dismissed"
    assert await _counted(live) == (1, 1)
