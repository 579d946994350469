"""The citizen's case list and detail say what the citizen may do now (``actions``) and carry the
rating once given. Every action offered is then accepted by its endpoint, and every action not
offered is refused by it: the list never promises what the API will not do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from citizen_api import clock
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings
from tests.delivery_fixtures import ADDRESS, s10


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **f.LONG_TOKENS)


class Case:
    """One citizen's case seen through the citizen's API."""

    def __init__(self, client, person: f.Citizen, case_id: int) -> None:
        self.client, self.person, self.id = client, person, case_id

    async def detail(self) -> dict:
        resp = await self.client.get(f"/api/v1/applications/{self.id}", headers=self.person.headers)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def actions(self) -> list[str]:
        """The detail's actions, checked to be the same in the citizen's list."""
        detail = (await self.detail())["actions"]
        listed = await self.client.get("/api/v1/applications?size=100", headers=self.person.headers)
        [row] = [row for row in listed.json()["items"] if row["id"] == self.id]
        assert row["actions"] == detail
        return detail

    async def rate(self, level: int = 5, **extra):
        return await self.client.post(
            f"/api/v1/applications/{self.id}/rating",
            json={"level": level, **extra},
            headers=self.person.headers,
        )

    async def set_delivery(self):
        return await self.client.put(
            f"/api/v1/applications/{self.id}/delivery", json=ADDRESS, headers=self.person.headers
        )

    async def complain(self):
        return await self.client.post(
            "/api/v1/complaints",
            json={"application_id": self.id, "content": "窗口工作人员态度不好，办理拖延"},
            headers=self.person.headers,
        )

    async def withdraw(self):
        return await self.client.post(f"/api/v1/applications/{self.id}/withdraw", headers=self.person.headers)

    async def supplement(self, materials: dict):
        return await self.client.post(
            f"/api/v1/applications/{self.id}/supplement",
            json={"materials": materials},
            headers=self.person.headers,
        )


async def new_case(client, api, *, deliverable: bool = True, code: str = "GA-HJ-001", name: str = "alice"):
    item = await f.published_item(code, deliverable=deliverable)
    person = await f.citizen(api, client, name)
    created = await f.submit(client, person, item)
    return item, person, Case(client, person, created["id"])


async def test_actions_follow_the_case_and_each_is_honoured(database_url, settings, api, client):
    clock.set_now(f.at(2026, 11, 2))
    item, alice, case = await new_case(client, api)
    window = await f.staff(settings, "w-ga", "window")
    approver = await f.staff(settings, "a-ga", "approver")

    # submitted: withdraw, give an address, complain; nothing to rate or supplement
    assert await case.actions() == ["withdraw", "set_delivery", "complain"]
    assert_error(await case.rate(), 409, "NOT_FINISHED")
    one = {str(item.material("户口簿").id): [(await f.upload(alice.user_id)).id]}
    assert_error(await case.supplement(one), 409, "INVALID_TRANSITION")

    # 补正 requested: supplement comes first
    body = {"missing": [item.material("户口簿").id], "note": "复印件不清晰"}
    assert (await f.act(client, window, case.id, "request-supplement", body)).status_code == 200
    assert await case.actions() == ["supplement", "withdraw", "set_delivery", "complain"]
    assert (await case.supplement(one)).status_code == 200

    # accepted: neither withdraw nor supplement any more; the address may still be given and changed
    assert (await f.act(client, window, case.id, "accept")).status_code == 200
    assert await case.actions() == ["set_delivery", "complain"]
    assert_error(await case.withdraw(), 409, "INVALID_TRANSITION")
    assert (await case.set_delivery()).status_code == 200
    assert await case.actions() == ["set_delivery", "complain"]

    # done: rate
    assert (await f.act(client, approver, case.id, "approve", {"note": "同意"})).status_code == 200
    assert await case.actions() == ["rate", "set_delivery", "complain"]

    # the result is mailed: the address is final
    mailed = {"channel": "post", "company": "ems", "waybill": s10("24681357")}
    assert (await f.act(client, window, case.id, "deliver", mailed)).status_code == 200
    assert await case.actions() == ["rate", "complain"]
    assert_error(await case.set_delivery(), 409, "ALREADY_SHIPPED")

    # rated (a bad rating, so a rectification opens): the detail shows it, no second rating
    rated = await case.rate(2, tags=["超时办理"], comment="等了很久")
    assert rated.status_code == 201, rated.text
    detail = await case.detail()
    rating = detail["rating"]
    assert (rating["level"], rating["level_text"], rating["tags"], rating["comment"]) == (
        2,
        "不满意",
        ["超时办理"],
        "等了很久",
    )
    assert rating["automatic"] is False and rating["id"] == rated.json()["id"]
    assert rating["rectification"]["status"] == "open" and rating["rectification"]["visit_due"]
    assert detail["actions"] == ["complain"]
    assert await case.actions() == ["complain"]
    assert_error(await case.rate(), 409, "ALREADY_RATED")

    # one open complaint per case: complained, nothing left to do until it is answered
    assert (await case.complain()).status_code == 201
    assert await case.actions() == []
    assert_error(await case.complain(), 409, "COMPLAINT_OPEN")


async def test_a_good_rating_shows_without_rectification(database_url, settings, api, client):
    _, _, case = await new_case(client, api)
    approver = await f.staff(settings, "a-ga", "approver")
    assert (await f.act(client, approver, case.id, "accept")).status_code == 200
    assert (await f.act(client, approver, case.id, "approve")).status_code == 200
    assert (await case.detail())["rating"] is None
    assert (await case.rate(5, tags=["办理速度快"], comment="很好")).status_code == 201
    rating = (await case.detail())["rating"]
    assert (rating["level"], rating["tags"], rating["comment"]) == (5, ["办理速度快"], "很好")
    assert rating["rectification"] is None


async def test_rate_is_offered_only_within_the_rating_period(database_url, settings, api, client):
    clock.set_now(f.at(2026, 11, 2))
    _, _, case = await new_case(client, api)
    approver = await f.staff(settings, "a-ga", "approver")
    assert (await f.act(client, approver, case.id, "accept")).status_code == 200
    assert (await f.act(client, approver, case.id, "approve")).status_code == 200

    clock.advance(timedelta(days=settings.rating_window_days) - timedelta(minutes=1))
    assert "rate" in await case.actions()
    clock.advance(timedelta(minutes=2))
    assert "rate" not in await case.actions()
    assert_error(await case.rate(), 409, "RATING_WINDOW_CLOSED")


async def test_set_delivery_only_for_items_that_offer_post(database_url, settings, api, client):
    _, _, case = await new_case(client, api, deliverable=False)
    assert await case.actions() == ["withdraw", "complain"]
    assert_error(await case.set_delivery(), 409, "DELIVERY_NOT_OFFERED")


async def test_a_withdrawn_case_may_only_be_complained_about(database_url, settings, api, client):
    _, _, case = await new_case(client, api)
    assert (await case.withdraw()).status_code == 200
    assert await case.actions() == ["complain"]
    assert_error(await case.set_delivery(), 409, "CASE_CLOSED")
    assert_error(await case.withdraw(), 409, "INVALID_TRANSITION")
    assert (await case.complain()).status_code == 201


async def test_owed_tolerated_materials_offer_supplement_after_acceptance(
    database_url, settings, api, client
):
    item = await f.published_item()
    alice = await f.citizen(api, client)
    materials = await f.full_materials(alice, item, skip=("结婚证",))
    created = await f.submit(client, alice, item, materials=materials, tolerate_missing=True)
    case = Case(client, alice, created["id"])
    window = await f.staff(settings, "w-ga", "window")
    assert (await f.act(client, window, case.id, "accept")).status_code == 200
    assert await case.actions() == ["supplement", "set_delivery", "complain"]
    owed = {str(item.material("结婚证").id): [(await f.upload(alice.user_id)).id]}
    assert (await case.supplement(owed)).status_code == 200
    assert await case.actions() == ["set_delivery", "complain"]
