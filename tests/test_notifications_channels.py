"""Channels after the subscribe message: official-account template message for followers (linked
by unionid through the bot's subscribe event), customer-service text inside 48 h, staff warnings."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from citizen_api import clock
from citizen_api.users.models import Follower
from infra.simulators.wechat import openid_for
from tests.conftest import create_staff
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE, event_xml, push, text_xml


async def follow(napp, name: str) -> str:
    """The citizen follows the official account: WeChat pushes a subscribe event to the bot."""
    oa_openid = napp.sim.follow(name)
    resp = await push(napp.client, event_xml(oa_openid, "subscribe"))
    assert resp.status_code == 200, resp.text
    return oa_openid


async def test_follower_without_grant_gets_a_template_message(napp):
    user_id, _ = await napp.citizen("alice")
    oa_openid = await follow(napp, "alice")

    row = await napp.settled(
        await napp.transition(
            user_id, "case.approved", {"number": "A20260301000001", "item_name": "户口迁移"}
        )
    )

    assert (row.status, row.channel, row.recipient) == ("sent", "template", oa_openid)
    [message] = napp.messages("template")
    assert message["touser"] == oa_openid
    assert message["template_id"] == "dev-oa-case-progress"
    assert message["client_msg_id"] == f"onetrip-{row.id}"
    assert message["miniprogram"]["pagepath"] == "pages/case/detail?number=A20260301000001"
    assert message["data"]["phrase3"]["value"] == "已办结"


async def test_the_subscribe_message_comes_first_when_there_is_a_grant(napp):
    user_id, headers = await napp.citizen("bob")
    await follow(napp, "bob")
    await napp.grant(headers, CASE_TEMPLATE)
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "B1"}))
    assert row.channel == "subscribe"
    assert [m["kind"] for m in napp.messages()] == ["subscribe"]
    assert napp.messages()[0]["touser"] == openid_for("bob")


async def test_refused_subscribe_message_falls_back_to_the_template_message(napp):
    user_id, headers = await napp.citizen("carol")
    oa_openid = await follow(napp, "carol")
    await napp.grant(headers, CASE_TEMPLATE)
    napp.sim.fail("/cgi-bin/message/subscribe/send", 43101)
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "C1"}))
    assert (row.status, row.channel, row.recipient) == ("sent", "template", oa_openid)
    assert row.grant_status == "refused"


async def test_unfollowed_citizen_gets_nothing(napp):
    user_id, _ = await napp.citizen("dave")
    oa_openid = await follow(napp, "dave")
    assert (await push(napp.client, event_xml(oa_openid, "unsubscribe"))).text == "success"
    row = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "D1"}))
    assert row.status == "skipped"
    assert napp.messages() == []


# case.accepted without an official-account template: only the customer-service text is left
NO_OFFICIAL_TEMPLATE = {"notify_templates": json.dumps({"events": {"case.accepted": {"official": None}}})}


@pytest.mark.parametrize("notify_overrides", [NO_OFFICIAL_TEMPLATE], indirect=True)
async def test_customer_service_text_only_within_48_hours_of_the_last_message(napp):
    user_id, _ = await napp.citizen("erin")
    oa_openid = await follow(napp, "erin")
    assert (await push(napp.client, text_xml(oa_openid, "你好"))).status_code == 200

    row = await napp.settled(
        await napp.transition(
            user_id, "case.accepted", {"number": "E1", "item_name": "社保卡补办", "deadline": "2026-03-20"}
        )
    )
    assert (row.status, row.channel) == ("sent", "custom")
    [message] = napp.messages("custom")
    assert message["touser"] == oa_openid
    assert message["text"]["content"] == "您的办件 E1（社保卡补办）已受理，承诺办结日期 2026-03-20。"

    clock.advance(timedelta(hours=49))
    late = await napp.settled(await napp.transition(user_id, "case.accepted", {"number": "E1"}))
    assert late.status == "skipped"
    assert "48 hours" in late.reason
    assert len(napp.messages()) == 1


async def test_staff_warnings_go_to_linked_staff_and_are_skipped_otherwise(napp):
    admin = await create_staff("root", "admin", None)
    clerk = await create_staff("clerk", "approver", "GA")
    other = await create_staff("other", "approver", "GA")
    oa_openid = napp.sim.follow("clerk-wechat", with_unionid=False)
    assert (await push(napp.client, event_xml(oa_openid, "subscribe"))).status_code == 200
    login = await napp.client.post(
        "/api/v1/auth/staff", json={"username": "root", "password": "correct-horse-9"}
    )
    admin_headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    linked = await napp.client.post(
        "/api/v1/admin/followers/link",
        json={"oa_openid": oa_openid, "user_id": clerk.id},
        headers=admin_headers,
    )
    assert linked.status_code == 200, linked.text
    assert admin.id != clerk.id

    payload = {"number": "GA1", "item_name": "危险化学品经营许可", "level": "red", "deadline": "2026-03-05"}
    sent = await napp.settled(await napp.transition(clerk.id, "case.warning", payload, audience="staff"))
    skipped = await napp.settled(await napp.transition(other.id, "case.warning", payload, audience="staff"))

    assert (sent.status, sent.channel, sent.recipient) == ("sent", "template", oa_openid)
    [message] = napp.messages()
    assert message["template_id"] == "dev-oa-supervision-warning"
    assert message["data"]["phrase3"]["value"] == "红牌警告"
    assert message["data"]["date4"]["value"] == "2026-03-05"
    assert skipped.status == "skipped" and "staff not linked" in skipped.reason
    assert await Follower.filter(user_id=clerk.id).count() == 1


async def test_rules_decide_who_is_told(napp):
    user_id, _ = await napp.citizen("gina")
    await follow(napp, "gina")
    transit = await napp.settled(
        await napp.transition(user_id, "delivery.event", {"number": "G1", "state": "transit"})
    )
    signed = await napp.settled(
        await napp.transition(user_id, "delivery.event", {"number": "G1", "state": "signed"})
    )
    to_citizen = await napp.settled(
        await napp.transition(user_id, "case.warning", {"number": "G1", "level": "red"})
    )
    unknown = await napp.settled(await napp.transition(user_id, "case.teleported", {"number": "G1"}))

    assert transit.status == "skipped" and "courier state" in transit.reason
    assert (signed.status, signed.channel) == ("sent", "template")
    assert napp.messages()[0]["data"]["phrase2"]["value"] == "已签收"
    assert to_citizen.status == "skipped" and "not told to citizen" in to_citizen.reason
    assert unknown.status == "skipped" and "no rule" in unknown.reason
    assert len(napp.messages()) == 1
