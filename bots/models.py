"""The bot's short-lived replay/retry records (the followers themselves are ``citizen_api.users``')."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


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
