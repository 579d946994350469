"""The outbox: one row per message to send, written in the same transaction as its cause."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(db_index=True)  # the recipient (citizen or staff member); 0 = to_openid only
    audience = fields.CharField(max_length=16, default="citizen")  # citizen | staff
    event = fields.CharField(max_length=48, db_index=True)  # e.g. case.accepted, appointment.reminder
    payload = fields.JSONField(default=dict)  # values the message is rendered from
    # idempotency for periodic jobs: the same key is never written twice (e.g. reminder:day:123)
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    # one of notifications.transitions.STATUSES; it moves only as that table allows
    attempts = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    channel = fields.CharField(max_length=16, null=True)  # subscribe | template | custom
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    sent_at = fields.DatetimeField(null=True)
    # -- delivery bookkeeping (see notifications/dispatcher.py) --
    # set when a sender claims the row; marking sent/failed only succeeds for the same attempt id,
    # so a sender that lost its lease can never overwrite the outcome of the one that took over
    attempt_id = fields.CharField(max_length=32, null=True)
    lease_until = fields.DatetimeField(null=True, db_index=True)
    reason = fields.CharField(max_length=200, null=True)  # why skipped (no grant, not following …)
    to_openid = fields.CharField(max_length=64, null=True)  # bot follow-ups: an OA openid, no user
    recipient = fields.CharField(max_length=64, null=True)  # the openid the message went to
    wechat_msgid = fields.CharField(max_length=32, null=True)
    # the subscribe-message grant this row holds (spent once, reused by its own retries)
    grant_template_id = fields.CharField(max_length=64, null=True)
    grant_status = fields.CharField(max_length=16, null=True)  # held | used | refused | refunded

    class Meta:
        table = "notifications"
        indexes = (("status", "next_attempt_at"),)


class SubscribeGrant(Model):
    """One-time subscribe-message grants a citizen gave in the mini-program, counted per template.

    WeChat lets one message through per "accept"; we spend one per message with a conditional
    UPDATE (available > 0), so two senders can never spend the same grant.
    """

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    template_id = fields.CharField(max_length=64)
    available = fields.IntField(default=0)
    accepted_total = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "subscribe_grants"
        unique_together = (("user_id", "template_id"),)


class PeriodicRun(Model):
    """When each periodic job may run next; the claim is a conditional UPDATE so that several
    in-process dispatchers (``serve --workers N`` without Redis) run a job once per interval."""

    name = fields.CharField(max_length=64, primary_key=True)
    next_run_at = fields.DatetimeField()
    last_started_at = fields.DatetimeField(null=True)
    last_result = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "periodic_runs"
