"""The outbox: one row per message to send, written in the same transaction as its cause."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(db_index=True)  # the recipient (citizen or staff member)
    audience = fields.CharField(max_length=16, default="citizen")  # citizen | staff
    event = fields.CharField(max_length=48, db_index=True)  # e.g. case.accepted, appointment.reminder
    payload = fields.JSONField(default=dict)  # values the message is rendered from
    # idempotency for periodic jobs: the same key is never written twice (e.g. reminder:day:123)
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    # pending | sending | sent | skipped (no channel or no grant) | dead (gave up)
    attempts = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    channel = fields.CharField(max_length=16, null=True)  # subscribe | template | custom
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications"
