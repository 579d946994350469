"""``/wechat/official``: the official account's server (verification and pushed messages)."""

from __future__ import annotations

import hashlib
import secrets

import structlog
from starlette.responses import PlainTextResponse, Response

from bots import xmlmsg
from bots.crypto import BadMessage, signature, signature_ok
from bots.handler import respond_within_budget
from bots.lifecycle import bot_runtime
from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, endpoint
from citizen_api.http.endpoint import read_capped

log = structlog.get_logger("onetrip.bot")

MAX_BODY = 64 * 1024
MAX_PARAM = 128


def _param(ctx: Ctx, name: str) -> str:
    value = ctx.request.query_params.get(name, "")
    return value if len(value) <= MAX_PARAM else ""


def _forbidden(reason: str, message: str) -> ApiError:
    return ApiError(403, "FORBIDDEN", message, {"reason": reason})


async def verify(ctx: Ctx) -> Response:
    """公众号服务器地址验证（signature 正确时原样返回 echostr）"""
    sig, ts, nonce = _param(ctx, "signature"), _param(ctx, "timestamp"), _param(ctx, "nonce")
    if not sig or not signature_ok(sig, ctx.settings.oa_token, ts, nonce):
        raise _forbidden("signature", "签名校验失败")
    return PlainTextResponse(_param(ctx, "echostr"))


async def receive(ctx: Ctx) -> Response:
    """接收公众号消息与事件（明文或安全模式），5 秒内被动回复"""
    settings = ctx.settings
    runtime = bot_runtime(ctx.state)
    token = settings.oa_token
    ts, nonce = _param(ctx, "timestamp"), _param(ctx, "nonce")
    encrypted = _param(ctx, "encrypt_type").lower() == "aes"
    sig = _param(ctx, "signature")
    # plaintext mode: ``signature`` covers token/timestamp/nonce; safe mode adds ``msg_signature``
    # over the ciphertext too (``signature`` is then checked when present)
    if (sig or not encrypted) and not signature_ok(sig, token, ts, nonce):
        raise _forbidden("signature", "签名校验失败")
    body = await read_capped(ctx.request, MAX_BODY)
    envelope: dict[str, str] = {}
    if encrypted:
        envelope = _parse(body)
        sealed_in = envelope.get("Encrypt", "")
        if not sealed_in or not signature_ok(_param(ctx, "msg_signature"), token, ts, nonce, sealed_in):
            raise _forbidden("signature", "签名校验失败")
    if not ts.isdigit() or abs(clock.now().timestamp() - int(ts)) > settings.bot_timestamp_window_seconds:
        raise _forbidden("timestamp", "请求已过期")
    # WeChat retries an unanswered push with the same query and body: that repeat is answered
    # again below (the MsgId / event record holds the first answer); the same signed pair with
    # another body is a captured signature reused, refused
    digest = hashlib.sha256(body).hexdigest()
    if not nonce or not await runtime.store.check_nonce(ts, nonce, digest):
        raise _forbidden("replay", "重复的请求")
    cipher = None
    if encrypted:
        try:
            plain, cipher = runtime.keys.decrypt(envelope["Encrypt"])
        except BadMessage:
            raise ApiError(400, "BAD_MESSAGE", "消息无法解密") from None
        msg = _parse(plain.encode())
    else:
        msg = _parse(body)
    if not msg.get("FromUserName") or not msg.get("MsgType"):
        raise ApiError(400, "BAD_MESSAGE", "消息格式不正确")

    key = _dedupe_key(msg)
    first, reply = await runtime.store.claim(key)
    if not first:
        # WeChat's retry of a message we are answering or have answered: the same answer
        if reply is None:
            reply = await runtime.store.wait_for(key, settings.bot_reply_budget_seconds)
        reply = reply or ""
    else:
        try:
            text = await respond_within_budget(ctx.state, msg)
        except Exception:  # a retry must redo the work, not wait for an answer that never comes
            await runtime.store.release(key)
            raise
        now = int(clock.now().timestamp())
        reply = xmlmsg.text_reply(msg["FromUserName"], msg.get("ToUserName", ""), text, now) if text else ""
        await runtime.store.finish(key, reply)
    if not reply:
        return PlainTextResponse("success")
    if cipher is not None:
        out_ts, out_nonce = str(int(clock.now().timestamp())), secrets.token_hex(8)
        sealed = cipher.encrypt(reply)
        sealed_sig = signature(token, out_ts, out_nonce, sealed)
        reply = xmlmsg.encrypted_envelope(sealed, sealed_sig, out_ts, out_nonce)
    return Response(reply, media_type="application/xml")


def _parse(raw: bytes) -> dict[str, str]:
    try:
        return xmlmsg.parse(raw)
    except xmlmsg.BadXml as exc:
        raise ApiError(400, "BAD_XML", "XML 格式不正确或包含不允许的内容", {"reason": str(exc)}) from None


def _dedupe_key(msg: dict[str, str]) -> str:
    """MsgId for messages; FromUserName + CreateTime for events, as WeChat advises, plus the event
    and its key: two menu buttons tapped within one second are two events (a retry repeats both)."""
    if msg.get("MsgId"):
        key = "m:" + msg["MsgId"]
    else:
        event = f"{msg.get('Event', '')}:{msg.get('EventKey', '')}"
        key = f"e:{msg.get('FromUserName')}:{msg.get('CreateTime')}:{event}"
    return key if len(key) <= 120 else "h:" + hashlib.sha256(key.encode()).hexdigest()


_QUERY_DOC = "signature, timestamp, nonce；安全模式另有 encrypt_type=aes 与 msg_signature"

ROOT_ENDPOINTS = [
    endpoint(
        "GET",
        "/wechat/official",
        verify,
        tags=["wechat"],
        errors=[(403, "FORBIDDEN")],
        raw_response_doc={"description": "echostr", "content": {"text/plain": {}}},
        description="查询参数：signature, timestamp, nonce, echostr",
    ),
    endpoint(
        "POST",
        "/wechat/official",
        receive,
        tags=["wechat"],
        atomic="manual",  # short writes of its own; slow answers go through the outbox
        errors=[(400, "BAD_XML"), (400, "BAD_MESSAGE"), (403, "FORBIDDEN"), (413, "BODY_TOO_LARGE")],
        raw_request_doc={
            "required": True,
            "description": "微信推送的 XML（明文，或安全模式下含 Encrypt 的信封）。" + _QUERY_DOC,
            "content": {"text/xml": {"schema": {"type": "string"}}},
        },
        raw_response_doc={"description": "被动回复 XML 或 success", "content": {"application/xml": {}}},
    ),
]
