"""The official account's followers and the bot's short-lived replay/retry records."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Follower(Model):
    """Someone who follows the official account. Linked to a citizen by ``unionid`` (the same
    person's id across the mini-program and the account) or explicitly by ``user_id`` (staff)."""

    id = fields.IntField(primary_key=True)
    oa_openid = fields.CharField(max_length=64, unique=True)
    unionid = fields.CharField(max_length=64, null=True, db_index=True)
    user_id = fields.IntField(null=True, db_index=True)
    subscribed = fields.BooleanField(default=True)
    subscribed_at = fields.DatetimeField(null=True)
    unsubscribed_at = fields.DatetimeField(null=True)
    # the customer-service window: WeChat allows messages for 48 h after the user's last message
    last_message_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "oa_followers"


class BotReply(Model):
    """The answer given to one pushed message (MsgId, or FromUserName+CreateTime for events), so
    that WeChat's retries get the same answer without the work being done twice. Used when Redis
    is not configured."""

    key = fields.CharField(max_length=128, primary_key=True)
    reply = fields.TextField(null=True)  # None while the first request is still working
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "bot_replies"


class BotNonce(Model):
    """Signed (timestamp, nonce) pairs already seen, with the digest of the body they came with:
    WeChat's retry (the same pair, the same body) is answered again, the same pair with another
    body is refused as a replay. Without Redis only."""

    key = fields.CharField(max_length=128, primary_key=True)
    digest = fields.CharField(max_length=64, default="")  # SHA-256 (hex) of the request body
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "bot_nonces"
