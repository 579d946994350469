"""The official account's commands as a follower uses them, over the real app in safe mode:
进度 (a real case), 指南 (the demo catalog), 预约 (a follower linked by unionid), 帮助, anything
else, subscribe and menu events, and a slow answer followed up by a customer-service message."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from bots import answers
from citizen_api import clock
from citizen_api.users.models import Follower
from infra.simulators.wechat import unionid_for
from notifications.models import Notification
from tests import cases_fixtures as cases
from tests import databases
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, make_hall, slots_on
from tests.bot_fixtures import WeChatPush, bot_client, event_xml, text_xml
from tests.catalog_fixtures import seeded_sqlite_template, seeded_url  # noqa: F401  (fixtures)

TUESDAY = date(2026, 9, 29)


async def test_progress_of_a_real_case(client, api, settings, wechat_sim):
    item = await cases.published_item(name="户口迁移")
    alice = await cases.citizen(api, client, phone="13812345678")
    created = await cases.submit(client, alice, item)
    number = created["number"]
    wechat = WeChatPush(client)
    answer = await wechat.say("o-alice", f"进度 {number} 5678")
    assert answer.splitlines()[2] == "状态：已提交，待受理"

    window = await cases.staff(settings, "window-1", "window")
    assert (await cases.act(client, window, created["id"], "accept")).status_code == 200
    answer = await wechat.say("o-alice", f"进度 {number} 5678")
    lines = answer.splitlines()
    assert lines[0] == f"办件 {number}" and lines[1] == "事项：户口迁移"
    assert lines[2] == "状态：已受理，办理中"
    assert lines[3].startswith("承诺办结：20") and lines[4].startswith("最新：") and "已受理" in lines[4]
    assert lines[-1] == f"详情请在小程序查看：pages/progress/index?number={number}"
    assert "138" not in answer and "张三丰" not in answer  # nothing personal
    # the number as typed on a phone: lower case, full-width space, no space after the command
    assert await wechat.say("o-alice", f"进度\u3000{number.lower()}  5678") == answer
    assert await wechat.say("o-alice", f"进度{number} 5678") == answer

    # a wrong tail and an unknown number look the same
    wrong = await wechat.say("o-alice", f"进度 {number} 0000")
    assert wrong == "未查到该办件，请核对办件编号和手机尾号。"
    assert await wechat.say("o-alice", "进度 A20990101999 5678") == wrong
    for bad in (
        "进度",
        f"进度 {number}",
        f"进度 {number} 56789",
        "进度 ../etc 1234",
        f"进度 {number} 5678 x",
    ):
        assert await wechat.say("o-alice", bad) == answers.PROGRESS_USAGE


async def test_progress_guesses_are_limited(client, api, wechat_sim):
    item = await cases.published_item()
    alice = await cases.citizen(api, client, phone="13812345678")
    number = (await cases.submit(client, alice, item))["number"]
    wechat = WeChatPush(client)
    for tail in range(answers.PROGRESS_TRIES):
        assert (await wechat.say("o-mallory", f"进度 {number} {tail:04d}")).startswith("未查到")
    assert await wechat.say("o-mallory", f"进度 {number} 5678") == answers.TOO_MANY
    # the per-number budget is shared with GET /progress (10 an hour by default): another
    # follower cannot go on guessing the same number either
    assert await wechat.say("o-mallory2", f"进度 {number} 5678") == answers.TOO_MANY
    resp = await client.get("/api/v1/progress", params={"number": number, "phone_tail": "5678"})
    assert resp.status_code == 429


async def test_guide_lists_top_matches_with_links(tmp_path, seeded_url, wechat_sim):
    async with bot_client(tmp_path, seeded_url, wechat_sim.base_url) as client:
        wechat = WeChatPush(client)
        answer = await wechat.say("o-carol", "指南 营业执照")
        search = await client.get("/api/v1/items", params={"q": "营业执照", "size": 3})
        top = search.json()["items"]
        assert len(top) == 3
        lines = answer.splitlines()
        assert lines[0] == "与“营业执照”相关的办事指南："
        for n, hit in enumerate(top, 1):  # the same ranking as the mini-program's search
            assert lines[2 * n - 1].startswith(f"{n}. {hit['name']}")
            assert lines[2 * n].strip() == f"pages/item/detail?code={hit['code']}"
        assert "营业执照" in lines[1]
        # pinyin initials work as in the search box
        assert (await wechat.say("o-carol", "指南 yyzz")).splitlines()[1] == lines[1]
        assert await wechat.say("o-carol", "指南") == answers.GUIDE_USAGE
        nothing = await wechat.say("o-carol", "指南 qqqqxxxzzz")
        assert nothing.startswith("没有找到与“qqqqxxxzzz”相关的事项")
        # menu button: asks for the words
        click = wechat.open(await wechat.post(event_xml("o-carol", "CLICK", key="GUIDE")))
        assert click["Content"] == answers.GUIDE_USAGE


async def test_appointments_of_a_linked_follower(client, api, wechat_sim):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    # the mini-program login carries alice's unionid; booking needs her real-name profile
    alice = await cases.citizen(api, client, "alice")
    slots = await slots_on(client, hall.item.code, TUESDAY)
    assert (await book(client, alice.headers, slots[2]["id"], hall.item.code)).status_code == 201
    wechat = WeChatPush(client)

    # alice follows the account: subscribing links her (unionid fetched from WeChat)
    openid = wechat_sim.follow("alice")
    welcome = wechat.open(await wechat.post(event_xml(openid, "subscribe")))
    assert welcome["Content"] == answers.WELCOME
    follower = await Follower.get(oa_openid=openid)
    assert follower.unionid == unionid_for("alice")
    answer = await wechat.say(openid, "预约")
    assert answer.splitlines()[0] == "您的预约："
    assert f"2026-09-29 10:00 {hall.item.name}（" in answer and "市民中心政务服务大厅" in answer
    click = wechat.open(await wechat.post(event_xml(openid, "CLICK", key="MY_APPOINTMENTS")))
    assert click["Content"] == answer
    assert await wechat.say(openid, "我的预约") == answer

    # past bookings are not upcoming
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY.replace(day=30))
    assert await wechat.say(openid, "预约") == "您暂无待办理的预约。可在小程序中预约办理。"

    # a follower who never logged in to the mini-program is asked to
    bob = wechat_sim.follow("bob")
    wechat.open(await wechat.post(event_xml(bob, "subscribe")))
    assert (await wechat.say(bob, "预约")).startswith("请先在小程序“一次办”中登录")
    # a follower WeChat knows no unionid for, and one who wrote without subscribing first
    assert (await wechat.say("o-stranger", "预约")).startswith("请先在小程序")


async def test_help_unknown_messages_and_events(client):
    wechat = WeChatPush(client)
    for text in ("帮助", "help", "？", "你好", "", "   ", "挂号"):
        assert await wechat.say("o-dave", text) == answers.HELP, text
    image = text_xml("o-dave", "x").replace("<MsgType><![CDATA[text]]>", "<MsgType><![CDATA[image]]>")
    assert wechat.open(await wechat.post(image))["Content"] == answers.HELP
    for key, expected in (
        ("HELP", answers.HELP),
        ("PROGRESS", answers.PROGRESS_USAGE),
        ("NOPE", answers.HELP),
    ):
        reply = wechat.open(await wechat.post(event_xml("o-dave", "CLICK", key=key)))
        assert reply["Content"] == expected
    # events with nothing to say: "success" (WeChat shows nothing and does not retry)
    for event in ("VIEW", "LOCATION", "TEMPLATESENDJOBFINISH", "unsubscribe"):
        resp = await wechat.post(event_xml("o-dave", event))
        assert resp.status_code == 200 and resp.text == "success"
    assert not (await Follower.get(oa_openid="o-dave")).subscribed
    # a subscribe with no unionid known to WeChat still welcomes (the periodic job retries)
    assert wechat.open(await wechat.post(event_xml("o-erin", "subscribe")))["Content"] == answers.WELCOME
    erin = await Follower.get(oa_openid="o-erin")
    assert erin.subscribed and erin.unionid is None


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    return databases.fresh_sqlite(sqlite_template, tmp_path)


async def test_slow_answer_is_success_then_a_customer_service_message(tmp_path, sqlite_url, wechat_sim):
    """About the reply budget, not the database: SQLite only (how long it takes: bench/waits.py)."""
    # WeChat's user/info answers in 1 s, the reply budget is 0.3 s
    wechat_sim.fail("/cgi-bin/user/info", delay=1.0)
    openid = wechat_sim.follow("frank")
    async with bot_client(tmp_path, sqlite_url, wechat_sim.base_url, bot_reply_budget_seconds=0.3) as client:
        wechat = WeChatPush(client)
        event = event_xml(openid, "subscribe")
        first = await wechat.post(event)
        assert first.text == "success"  # waiting for WeChat's answer would have answered the welcome
        retry = await wechat.post(event)  # WeChat's retry: "success" too, and nothing asked twice
        assert retry.text == "success"
        assert wechat_sim.state.calls.count("/cgi-bin/user/info") == 1
        for _ in range(100):  # the welcome follows as a customer-service message
            sent = [m for m in wechat_sim.state.messages if m["kind"] == "custom" and m["touser"] == openid]
            if sent:
                break
            await asyncio.sleep(0.05)
        assert len(sent) == 1 and sent[0]["text"]["content"] == answers.WELCOME
        assert await Notification.filter(event="bot.followup", to_openid=openid).count() == 1
        assert (await Follower.get(oa_openid=openid)).unionid  # the slow work did finish
