"""The audit log: every staff read of personal data and every transition. Append-only."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditLog(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor_id = fields.IntField(null=True, db_index=True)
    actor_role = fields.CharField(max_length=16)
    action = fields.CharField(max_length=48, db_index=True)
    object_type = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=64, db_index=True)
    details = fields.JSONField(default=dict)
    request_id = fields.CharField(max_length=36, default="")

    class Meta:
        table = "audit_log"
