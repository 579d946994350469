"""The two 好差评 lifecycles walked through the API: every (status, action) pair of the rectification and
appeal tables is tried; what the table allows works and lands where it says, everything else is refused
and changes nothing, and every role the table does not name is turned away."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

from citizen_api import clock
from citizen_api.ratings import transitions as t
from citizen_api.ratings.jobs import run_rating_jobs
from citizen_api.ratings.models import Appeal, Rectification
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case
from tests.job_runs import run_job

RATED_AT = datetime(2026, 3, 10, 10, 0, tzinfo=clock.CST)
STAFF = {"window": "win", "approver": "appr", "supervisor": "boss", "admin": "root"}
# how to bring a fresh 差评's rectification to each status: the steps, by action
RECTIFICATION_PATHS = {
    t.OPEN: [],
    t.VISITED: ["return_visit"],
    t.RECTIFIED: ["return_visit", "rectify"],
    t.CLOSED: ["return_visit", "rectify", "verdict"],
}
# what a refusal answers, by action (the staff steps share one code; the citizen's verdict says why)
REFUSED = {
    "return_visit": {"INVALID_TRANSITION"},
    "rectify": {"INVALID_TRANSITION", "RETURN_VISIT_REQUIRED"},
    "verdict": {"NOT_RECTIFIED", "ALREADY_RATED"},
}


def test_the_tables_are_the_lifecycles_of_the_rules():
    """回访 then 整改 (never 整改 before the 回访: the national rule), then the verdict or the period's
    end; one decision per appeal."""
    assert {k: (v.to, v.roles) for k, v in t.RECTIFICATION.items()} == {
        ("open", "return_visit"): ("visited", {"window", "approver", "admin"}),
        ("visited", "rectify"): ("rectified", {"window", "approver", "admin"}),
        ("rectified", "verdict"): ("closed", {"citizen"}),
        ("rectified", "expire"): ("closed", {"system"}),
    }
    assert {k: (v.to, v.roles) for k, v in t.APPEAL.items()} == {
        ("pending", "uphold"): ("upheld", {"supervisor", "admin"}),
        ("pending", "dismiss"): ("dismissed", {"supervisor", "admin"}),
    }
    assert t.RECTIFICATION_STATUSES == ("open", "visited", "rectified", "closed")
    assert t.APPEAL_STATUSES == ("pending", "upheld", "dismissed")


class World:
    def __init__(self, api, client, settings) -> None:
        self.api, self.client, self.settings = api, client, settings

    async def setup(self) -> World:
        clock.set_now(RATED_AT)
        self.alice, self.citizen = await citizen(self.api, "alice")
        for role, name in STAFF.items():
            await create_staff(name, role, None if role in ("supervisor", "admin") else "GA")
        self.staff = {role: await self.api.staff_headers(name) for role, name in STAFF.items()}
        return self

    async def bad_rating(self) -> int:
        case = await make_case(self.alice, department="GA")
        resp = await self.client.post(
            f"/api/v1/applications/{case.id}/rating", json={"level": 1}, headers=self.citizen
        )
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    async def step(self, rating_id: int, action: str, role: str | None = None):
        """One rectification step over the API (``role`` None: the one the table names first)."""
        if action == "verdict":
            headers = self.citizen if role in (None, "citizen") else self.staff[role]
            url = f"/api/v1/ratings/{rating_id}/rectification/verdict"
            return await self.client.post(url, json={"verdict": "satisfied"}, headers=headers)
        headers = self.staff[role or "window"] if role != "citizen" else self.citizen
        path = action.replace("_", "-")
        return await self.client.post(
            f"/api/v1/staff/ratings/{rating_id}/{path}", json={"note": f"{action} 情况说明"}, headers=headers
        )

    async def rectification_in(self, status: str) -> int:
        rating_id = await self.bad_rating()
        for action in RECTIFICATION_PATHS[status]:
            resp = await self.step(rating_id, action)
            assert resp.status_code == 200, resp.text
        assert await self.status_of(rating_id) == status
        return rating_id

    async def status_of(self, rating_id: int) -> str:
        return (await Rectification.get(rating_id=rating_id)).status


async def test_every_rectification_step_is_allowed_exactly_as_the_table_says(api, client, settings):
    world = await World(api, client, settings).setup()
    actions = sorted({action for _, action in t.RECTIFICATION} - {"expire"})  # expire: the job's (below)
    for status, action in product(t.RECTIFICATION_STATUSES, actions):
        rating_id = await world.rectification_in(status)
        resp = await world.step(rating_id, action)
        allowed = t.RECTIFICATION.get((status, action))
        if allowed is not None:
            assert resp.status_code == 200, (status, action, resp.text)
            assert resp.json()["status"] == allowed.to
            assert await world.status_of(rating_id) == allowed.to
        else:
            assert resp.status_code == 409, (status, action, resp.text)
            assert resp.json()["error"]["code"] in REFUSED[action], (status, action, resp.text)
            assert await world.status_of(rating_id) == status  # refused: nothing moved

    # every step is the named roles' only: the others are turned away before anything moves
    for (status, action), transition in t.RECTIFICATION.items():
        if t.SYSTEM in transition.roles:
            continue
        for role in [*STAFF, "citizen"]:
            if role in transition.roles:
                continue
            rating_id = await world.rectification_in(status)
            assert_error(await world.step(rating_id, action, role), 403, "FORBIDDEN")
            assert await world.status_of(rating_id) == status


async def test_the_job_expires_exactly_the_rectifications_the_table_lets_it(api, client, settings):
    """``expire`` is the system's step: a rectification nobody judged closes after the follow-up and
    rating periods; from every other status the job moves nothing."""
    world = await World(api, client, settings).setup()
    in_status = {status: await world.rectification_in(status) for status in t.RECTIFICATION_STATUSES}
    later = RATED_AT + timedelta(days=settings.rating_follow_up_days + settings.rating_window_days + 1)
    await run_job(run_rating_jobs, settings, later)
    for status, rating_id in in_status.items():
        allowed = t.RECTIFICATION.get((status, "expire"))
        assert await world.status_of(rating_id) == (allowed.to if allowed else status), status
    expired = await Rectification.get(rating_id=in_status[t.RECTIFIED])
    assert expired.verdict is None and expired.closed_at is not None


async def test_every_appeal_decision_is_allowed_exactly_as_the_table_says(api, client, settings):
    world = await World(api, client, settings).setup()

    async def appeal_in(status: str) -> int:
        rating_id = await world.bad_rating()
        resp = await client.post(
            f"/api/v1/staff/ratings/{rating_id}/appeal", json={"reason": "该群众未到窗口办理，系误评"},
            headers=world.staff["window"],
        )  # fmt: skip
        assert resp.status_code == 201, resp.text
        appeal_id = resp.json()["id"]
        reach = next((a for (s, a), tr in t.APPEAL.items() if s == t.PENDING and tr.to == status), None)
        if reach is not None:
            assert (await decide(appeal_id, reach, "supervisor")).status_code == 200
        assert (await Appeal.get(id=appeal_id)).status == status
        return appeal_id

    async def decide(appeal_id: int, action: str, role: str):
        body = {"uphold": action == "uphold", "reason": f"审核：{action}"}
        url = f"/api/v1/staff/rating-appeals/{appeal_id}/decide"
        return await client.post(url, json=body, headers=world.staff[role])

    actions = sorted({action for _, action in t.APPEAL})
    for status, action in product(t.APPEAL_STATUSES, actions):
        appeal_id = await appeal_in(status)
        resp = await decide(appeal_id, action, "admin")
        allowed = t.APPEAL.get((status, action))
        if allowed is not None:
            assert resp.status_code == 200, (status, action, resp.text)
            assert resp.json()["status"] == allowed.to
        else:
            assert_error(resp, 409, "APPEAL_DECIDED")
        assert (await Appeal.get(id=appeal_id)).status == (allowed.to if allowed else status)

    for (status, action), transition in t.APPEAL.items():
        for role in STAFF:
            if role not in transition.roles:
                appeal_id = await appeal_in(status)
                assert_error(await decide(appeal_id, action, role), 403, "FORBIDDEN")
                assert (await Appeal.get(id=appeal_id)).status == status
