"""What the account answers to one pushed message or event, always inside WeChat's 5 s.

The work runs with a budget (``bot_reply_budget_seconds``); when it is not done by then the
request answers ``success`` (WeChat then neither shows nor retries anything) and the answer,
once ready, goes out as a customer-service message through the outbox.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from bots import answers, followers
from bots.lifecycle import bot_runtime
from citizen_api import db
from citizen_api.users import service as users
from citizen_api.wechat.messages import messenger_for
from notifications import outbox

log = structlog.get_logger("onetrip.bot")

# menu buttons (EventKey of CLICK events) → the text command they stand for
MENU_KEYS = {
    "PROGRESS": "进度",
    "GUIDE": "指南",
    "MY_APPOINTMENTS": "预约",
    "HELP": "帮助",
}


async def respond(state, msg: dict[str, str]) -> str | None:
    """The reply text, or None for no reply ("success")."""
    openid = msg.get("FromUserName", "")
    msg_type = msg.get("MsgType", "").lower()
    if msg_type == "event":
        return await _event(state, openid, msg)
    if not await users.follower_seen(openid):
        await users.follower_touched(openid)
    if msg_type == "text":
        return await answers.answer_text(state, msg.get("Content", ""), openid)
    return answers.HELP  # images, voice, locations …


async def _event(state, openid: str, msg: dict[str, str]) -> str | None:
    event = msg.get("Event", "").lower()
    if event == "subscribe":  # also a scan of a parametric QR code by a new follower
        follower = await users.follower_touched(openid, subscribing=True)
        if not follower.unionid:
            await followers.fetch_unionid(follower, messenger_for(state))
        return answers.WELCOME
    if event == "unsubscribe":
        await users.follower_left(openid)
        return None
    if event == "click":
        if not await users.follower_seen(openid):
            await users.follower_touched(openid)
        command = MENU_KEYS.get(msg.get("EventKey", "").upper())
        if command == "进度":
            return answers.PROGRESS_USAGE
        if command == "指南":
            return answers.GUIDE_USAGE
        if command is None:
            return answers.HELP
        return await answers.answer_text(state, command, openid)
    if event == "scan":
        await users.follower_touched(openid)
        return None
    return None  # VIEW, LOCATION, template-send reports …


async def respond_within_budget(state, msg: dict[str, str]) -> str | None:
    budget = state.settings.bot_reply_budget_seconds
    task = asyncio.create_task(respond(state, msg))
    try:
        return await asyncio.wait_for(asyncio.shield(task), timeout=budget)
    except TimeoutError:
        log.warning("bot answer over budget; following up by customer-service message")
        background = bot_runtime(state).background
        background.add(task)
        task.add_done_callback(lambda t: _follow_up(state, msg.get("FromUserName", ""), t))
        return None


def _follow_up(state, openid: str, task: asyncio.Task) -> None:
    background = bot_runtime(state).background
    background.discard(task)
    if task.cancelled() or task.exception() is not None or not task.result() or not openid:
        if not task.cancelled() and task.exception() is not None:
            log.error("late bot answer failed", error=repr(task.exception()))
        return
    text: Any = task.result()
    follow = asyncio.create_task(_send_later(state, openid, str(text)))
    background.add(follow)
    follow.add_done_callback(background.discard)


async def _send_later(state, openid: str, text: str) -> None:
    async with db.atomic(state):  # the dispatcher is woken once the row is committed
        await outbox.enqueue_text_to_follower(openid, text)
