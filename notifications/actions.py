"""Actions: render one outbox row and send it through the first channel that can deliver it.

``deliver`` returns a :class:`Sent` or a :class:`Skipped`; transient trouble (WeChat down, a rate
limit) propagates as an exception for the dispatcher to retry, and :class:`PermanentFailure` (a
message WeChat will never accept, such as a wrong template id) makes the row dead at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog

from citizen_api import clock, db
from citizen_api.users import service as users
from citizen_api.users.schemas import Account, FollowerInfo
from citizen_api.wechat.gateway import WeChatApiError
from citizen_api.wechat.messages import WeChatMessenger
from notifications import grants, rendering, rules
from notifications import repository as repo
from notifications.config import TemplatesConfig
from notifications.models import Notification

log = structlog.get_logger("onetrip.notifications")

REFUSED = 43101  # the user has no (or refused the) subscription for this template
NOT_FOLLOWING = 43004  # the recipient does not follow the official account
INVALID_OPENID = 40003
OUT_OF_WINDOW = 45015  # customer-service message after the 48-hour window
# data WeChat will never accept as sent: bad template id, bad keyword data, bad page
PERMANENT_ERRCODES = frozenset({40037, 47001, 47003, 41028, 41029, 41030, 40036, 47501, 47502})


class PermanentFailure(Exception):
    pass


class LeaseLost(Exception):
    """This attempt no longer owns the row; its successor sends it."""


@dataclass
class Sent:
    channel: str
    recipient: str
    msgid: str | None


@dataclass
class Skipped:
    reason: str


@dataclass
class Delivery:
    """What a channel needs, and the grant bookkeeping the dispatcher saves with the outcome."""

    row: Notification
    messenger: WeChatMessenger
    templates: TemplatesConfig
    settings: Any
    values: dict[str, str] = field(default_factory=dict)
    user: Account | None = None
    notes: list[str] = field(default_factory=list)
    _follower: FollowerInfo | None = None
    _follower_loaded: bool = False

    async def follower(self) -> FollowerInfo | None:
        """The subscribed follower of the recipient: linked by user id, or by the same unionid."""
        if not self._follower_loaded:
            unionid = self.user.unionid if self.user is not None else None
            self._follower = await users.subscribed_follower(self.row.user_id, unionid)
            self._follower_loaded = True
        return self._follower


async def deliver(delivery: Delivery) -> Sent | Skipped:
    row = delivery.row
    payload = row.payload if isinstance(row.payload, dict) else {}
    channels, why_not = rules.decide(row.event, row.audience, payload)
    if not channels:
        return Skipped(why_not or "rule declined")
    delivery.values = rendering.variables(delivery.templates.events.get(row.event), payload, row.created_at)
    if row.user_id:
        delivery.user = await users.active_account(row.user_id)
        if delivery.user is None:
            return Skipped("recipient not found or inactive")
    for name in channels:
        sent = await CHANNELS[name](delivery)
        if sent is not None:
            return sent
    return Skipped("; ".join(delivery.notes) or "no channel")


# -- channels: each returns Sent, or None after noting why it could not deliver ------------------
async def via_subscribe(d: Delivery) -> Sent | None:
    row = d.row
    spec = d.templates.subscribe_for(row.event)
    if spec is None:
        d.notes.append("no subscribe template for this event")
        return None
    if d.user is None or not d.user.openid:
        d.notes.append("no mini-program openid")
        return None
    if row.grant_status == "refused":
        d.notes.append(f"subscribe message refused by WeChat ({REFUSED})")
        return None
    holds = row.grant_status == "held" and row.grant_template_id == spec.template_id
    if not holds and not await _take_grant(row, d.user.id, spec.template_id):
        d.notes.append("no subscribe grant")
        return None
    data = rendering.render_data(spec.data, d.values, row.created_at)
    page = rendering.fill(spec.page, d.values) if spec.page else None
    try:
        answer = await d.messenger.send_subscribe(d.user.openid, spec.template_id, data, page)
    except WeChatApiError as exc:
        if exc.errcode == REFUSED:
            row.grant_status = "refused"  # the grant is spent: WeChat says there was none
            d.notes.append(f"subscribe message refused by WeChat ({REFUSED})")
            return None
        if exc.errcode == INVALID_OPENID:
            await refund_held_grant(row)
            d.notes.append("mini-program openid refused by WeChat")
            return None
        if exc.errcode in PERMANENT_ERRCODES:
            await refund_held_grant(row)
            raise PermanentFailure(f"subscribe: {exc}") from exc
        raise
    row.grant_status = "used"
    return Sent("subscribe", d.user.openid, _msgid(answer))


async def via_template(d: Delivery) -> Sent | None:
    row = d.row
    spec = d.templates.official_for(row.event)
    if spec is None:
        d.notes.append("no official-account template for this event")
        return None
    follower = await d.follower()
    if follower is None:
        who = "not following the official account" if row.audience == "citizen" else "staff not linked"
        d.notes.append(who + " (no official-account follower)")
        return None
    data = rendering.render_data(spec.data, d.values, row.created_at)
    page = rendering.fill(spec.page, d.values) if spec.page else None
    try:
        answer = await d.messenger.send_template(
            follower.oa_openid, spec.template_id, data, page, client_msg_id=f"onetrip-{row.id}"
        )
    except WeChatApiError as exc:
        if exc.errcode in (NOT_FOLLOWING, INVALID_OPENID):
            await users.follower_left(follower.oa_openid)
            d.notes.append("official account says the follower left")
            return None
        if exc.errcode in PERMANENT_ERRCODES:
            raise PermanentFailure(f"template: {exc}") from exc
        raise
    return Sent("template", follower.oa_openid, _msgid(answer))


async def via_custom(d: Delivery) -> Sent | None:
    follower = await d.follower()
    if follower is None:
        return None  # already noted by the template channel
    window = timedelta(hours=d.settings.notify_custom_window_hours)
    if follower.last_message_at is None or follower.last_message_at < clock.now() - window:
        d.notes.append("no message from the follower in the last 48 hours")
        return None
    return await _custom_text(d, follower.oa_openid, "custom", follower)


async def via_direct(d: Delivery) -> Sent | None:
    if not d.row.to_openid:
        d.notes.append("no openid to answer")
        return None
    return await _custom_text(d, d.row.to_openid, "custom", None)


async def _custom_text(d: Delivery, openid: str, channel: str, follower: FollowerInfo | None) -> Sent | None:
    spec = d.templates.events.get(d.row.event)
    text = rendering.render_text(spec.text if spec else "", d.values)
    try:
        answer = await d.messenger.send_custom_text(openid, text)
    except WeChatApiError as exc:
        if exc.errcode == OUT_OF_WINDOW:
            d.notes.append("WeChat says the 48-hour window is over")
            return None
        if exc.errcode in (NOT_FOLLOWING, INVALID_OPENID):
            if follower is not None:
                await users.follower_left(follower.oa_openid)
            d.notes.append("official account says the follower left")
            return None
        if exc.errcode in PERMANENT_ERRCODES:
            raise PermanentFailure(f"custom: {exc}") from exc
        raise
    return Sent(channel, openid, _msgid(answer))


async def _take_grant(row: Notification, user_id: int, template_id: str) -> bool:
    """Spend one grant and record on the row that it holds it, in ONE transaction: a sender
    killed between the two would otherwise lose the grant, and the retry find none left.
    The row's record lets its retries reuse the grant instead of spending another."""
    async with db.atomic():
        if not await grants.spend(user_id, template_id):
            return False
        if not await repo.hold_grant(row.id, row.attempt_id, template_id):
            # another sender took the row over: give the grant back (rollback)
            raise LeaseLost(f"notification {row.id} was taken over before its grant was held")
    row.grant_template_id, row.grant_status = template_id, "held"
    return True


CHANNELS = {"subscribe": via_subscribe, "template": via_template, "custom": via_custom, "direct": via_direct}


async def refund_held_grant(row: Notification) -> None:
    """Give back the grant the row holds (WeChat never used it): a refused openid, bad data, or
    a row that gives up."""
    if row.grant_status == "held" and row.grant_template_id:
        await grants.refund(row.user_id, row.grant_template_id)
        row.grant_status = "refunded"


def _msgid(answer: dict[str, Any]) -> str | None:
    value = answer.get("msgid")
    return str(value)[:32] if value is not None else None
