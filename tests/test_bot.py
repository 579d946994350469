"""The official account's server, protocol side: verification, plaintext and safe mode (WeChat's
published sample vector, wechatpy-built requests, key rotation), signatures, replay and time window,
XML without entities, and MsgId / event de-duplication. Commands are in test_bot_commands.py."""

from __future__ import annotations

import base64
import struct
from datetime import UTC, datetime, timedelta

import pytest
from wechatpy.exceptions import InvalidAppIdException

from bots import answers
from citizen_api import clock
from citizen_api.settings import DEV_OA_AES_KEY, DEV_OA_APPID, DEV_OA_TOKEN
from citizen_api.users.models import Follower
from tests.bot_fixtures import PATH, WeChatPush, bot_client, event_xml, fields, sign, text_xml
from tests.conftest import assert_error

# WeChat's published sample (消息加解密 sample code, with the sample token/EncodingAESKey/appid):
# a request WeChat sent, signed and sealed; it decrypts to a text message "hello" from "mycreate"
SAMPLE_TIMESTAMP, SAMPLE_NONCE = "1409659813", "1372623149"
SAMPLE_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"
SAMPLE_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZf"
    "JYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVG"
    "Ucallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3K"
    "DYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
SAMPLE_BODY = (
    f"<xml><ToUserName><![CDATA[{DEV_OA_APPID}]]></ToUserName>"
    f"<Encrypt><![CDATA[{SAMPLE_ENCRYPT}]]></Encrypt></xml>"
)
OTHER_KEY = base64.b64encode(b"r" * 32).decode()[:43]  # a rotated EncodingAESKey
ENTITIES = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "lol"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;">]>'
    "<xml><ToUserName>gh</ToUserName><FromUserName>&y;</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&y;</Content><MsgId>1</MsgId></xml>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    "<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&e;</Content></xml>"
)


async def test_server_address_verification(client):
    ts, nonce, echostr = "1409659589", "263014780", "6347296316264473721"
    params = {"signature": sign(DEV_OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": echostr}
    resp = await client.get(PATH, params=params)
    assert resp.status_code == 200 and resp.text == echostr
    assert resp.headers["content-type"].startswith("text/plain")
    for bad in ({"signature": "0" * 40}, {"nonce": "263014781"}, {"signature": ""}):
        error = assert_error(await client.get(PATH, params={**params, **bad}), 403, "FORBIDDEN")
        assert error["details"] == {"reason": "signature"}


async def test_published_sample_request_is_answered_sealed(client):
    clock.set_now(datetime.fromtimestamp(int(SAMPLE_TIMESTAMP), UTC))
    params = {
        "msg_signature": SAMPLE_SIGNATURE,
        "timestamp": SAMPLE_TIMESTAMP,
        "nonce": SAMPLE_NONCE,
        "encrypt_type": "aes",
    }
    resp = await client.post(PATH, params=params, content=SAMPLE_BODY.encode())
    reply = WeChatPush(client).open(resp)  # wechatpy checks the reply's signature and appid
    assert reply["ToUserName"] == "mycreate" and reply["FromUserName"] == DEV_OA_APPID
    assert reply["MsgType"] == "text" and reply["Content"] == answers.HELP  # "hello" is no command
    assert reply["CreateTime"] == SAMPLE_TIMESTAMP
    envelope = fields(resp.text)
    assert envelope["Encrypt"] != SAMPLE_ENCRYPT and len(envelope["Nonce"]) >= 8


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_round_trip(client, safe):
    wechat = WeChatPush(client, safe=safe)
    assert await wechat.say("o-alice", "帮助") == answers.HELP
    resp = await wechat.post(text_xml("o-alice", "你好"))
    assert ("<Encrypt>" in resp.text) is safe and "你好" not in resp.text
    assert wechat.open(resp)["Content"] == answers.HELP
    follower = await Follower.get(oa_openid="o-alice")
    assert follower.subscribed and follower.last_message_at is not None


async def test_previous_key_is_a_fallback_while_rotating(tmp_path, database_url, wechat_sim):
    async with bot_client(
        tmp_path, database_url, wechat_sim.base_url, oa_aes_key=OTHER_KEY, oa_aes_key_previous=DEV_OA_AES_KEY
    ) as client:
        new, old = WeChatPush(client, aes_key=OTHER_KEY), WeChatPush(client)
        assert await new.say("o-1", "帮助") == answers.HELP
        # sealed with the previous key: answered, and sealed with that same key (WeChat opens it)
        assert await old.say("o-1", "帮助") == answers.HELP
        reply = await old.post(text_xml("o-1", "帮助"))
        assert old.open(reply)["Content"] == answers.HELP
        # … and not with the new one (wechatpy fails one of these ways on a wrong key)
        with pytest.raises((InvalidAppIdException, UnicodeDecodeError, struct.error)):
            new.open(reply)
        stranger = WeChatPush(client, aes_key=base64.b64encode(b"s" * 32).decode()[:43])
        error = assert_error(await stranger.post(text_xml("o-1", "帮助")), 400, "BAD_MESSAGE")
        assert "解密" in error["message"]
        # the right key, another appid: not for this account
        elsewhere = WeChatPush(client, aes_key=OTHER_KEY, appid="wx0000000000000000")
        assert_error(await elsewhere.post(text_xml("o-1", "帮助")), 400, "BAD_MESSAGE")


async def test_bad_signatures_are_refused(client):
    plain, safe = WeChatPush(client, safe=False), WeChatPush(client)
    params, body = plain.request(text_xml("o-1", "帮助"))
    for bad in ({**params, "signature": "f" * 40}, {**params, "signature": ""}, {}):
        error = assert_error(await plain.send(bad, body), 403, "FORBIDDEN")
        assert error["details"]["reason"] == "signature"
    params, body = safe.request(text_xml("o-1", "帮助"))
    assert_error(await safe.send({**params, "msg_signature": "0" * 40}, body), 403, "FORBIDDEN")
    assert_error(
        await safe.send({k: v for k, v in params.items() if k != "msg_signature"}, body), 403, "FORBIDDEN"
    )
    tampered = body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA")
    assert_error(await safe.send(params, tampered), 403, "FORBIDDEN")
    # WeChat signs with the account's token: another token's signature is refused
    other = WeChatPush(client, token="another-token")
    assert_error(await other.post(text_xml("o-1", "帮助")), 403, "FORBIDDEN")
    assert not await Follower.exists(oa_openid="o-1")  # nothing was done for refused requests


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_replayed_nonce_and_stale_timestamps_are_refused(client, safe):
    wechat = WeChatPush(client, safe=safe)
    params, body = wechat.request(text_xml("o-1", "帮助"))
    answer = wechat.open(await wechat.send(params, body))
    assert answer["Content"] == answers.HELP
    # the same signed request with the same body is WeChat's retry: answered again, not refused
    assert wechat.open(await wechat.send(params, body)) == answer
    # the same timestamp and nonce carrying another message: a replay
    again = await wechat.post(
        text_xml("o-1", "指南 户口"), timestamp=int(params["timestamp"]), nonce=params["nonce"]
    )
    assert assert_error(again, 403, "FORBIDDEN")["details"] == {"reason": "replay"}

    now = int(clock.now().timestamp())
    for ts in (now - 301, now + 301, 0):
        error = assert_error(await wechat.post(text_xml("o-1", "帮助"), timestamp=ts), 403, "FORBIDDEN")
        assert error["details"] == {"reason": "timestamp"}
    for ts in (now - 295, now + 295):  # inside the window (clocks drift)
        assert (
            wechat.open(await wechat.post(text_xml("o-1", "帮助"), timestamp=ts))["Content"] == answers.HELP
        )
    # a fresh nonce is accepted after the window of the previous one has passed
    clock.advance(timedelta(minutes=20))
    assert await wechat.say("o-1", "帮助") == answers.HELP


async def test_entity_payloads_are_refused(client):
    plain, safe = WeChatPush(client, safe=False), WeChatPush(client)
    for payload in (ENTITIES, EXTERNAL):
        assert_error(await plain.post(payload), 400, "BAD_XML")
        # the same inside a correctly sealed message
        assert_error(await safe.post(payload), 400, "BAD_XML")
    # an entity in the envelope itself
    params, _ = safe.request(text_xml("o-1", "帮助"))
    assert_error(await safe.send(params, ENTITIES.encode()), 400, "BAD_XML")
    for junk in (b"", b"<xml><unclosed></xml>", b"not xml", b"<root><a>1</a></root>"):
        assert_error(await plain.post(junk.decode()), 400, "BAD_XML")
    # well-formed, but not a message
    assert_error(await plain.post("<xml><Content>帮助</Content></xml>"), 400, "BAD_MESSAGE")
    assert_error(await plain.post("<xml>" + "<a>x</a>" * 20_000 + "</xml>"), 413, "BODY_TOO_LARGE")
    assert not await Follower.exists()


@pytest.mark.parametrize("safe", [True, False], ids=["safe-mode", "plaintext"])
async def test_duplicate_msgid_gets_the_same_answer_without_redoing_the_work(client, safe):
    wechat = WeChatPush(client, safe=safe)
    message = text_xml("o-dup", "帮助", msg_id=6_100_000_000_000_000_001)
    first = await wechat.post(message)
    answer = wechat.open(first)
    seen = (await Follower.get(oa_openid="o-dup")).last_message_at
    for _ in range(3):  # WeChat's retries: the same message, each request freshly signed
        clock.advance(timedelta(seconds=5))
        retry = await wechat.post(message)
        assert wechat.open(retry) == answer  # the same answer, to the CreateTime
        if not safe:
            assert retry.content == first.content
    # the work was not done again: the follower was last touched by the first delivery
    assert (await Follower.get(oa_openid="o-dup")).last_message_at == seen
    # another MsgId is another message
    clock.advance(timedelta(seconds=5))
    assert await wechat.say("o-dup", "帮助") == answers.HELP
    assert (await Follower.get(oa_openid="o-dup")).last_message_at > seen


async def test_duplicate_event_is_answered_once(client, wechat_sim):
    """Events have no MsgId: FromUserName + CreateTime identify WeChat's retries."""
    openid = wechat_sim.follow("bob")
    wechat = WeChatPush(client)
    event = event_xml(openid, "subscribe")
    replies = [wechat.open(await wechat.post(event)) for _ in range(3)]
    assert replies[0]["Content"] == answers.WELCOME and replies[1:] == replies[:2]
    assert wechat_sim.state.calls.count("/cgi-bin/user/info") == 1  # the unionid was fetched once
    # the same follower subscribing again later is a new event
    clock.advance(timedelta(seconds=3))
    assert wechat.open(await wechat.post(event_xml(openid, "subscribe")))["Content"] == answers.WELCOME
