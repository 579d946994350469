"""Uploaded files: stored under a server-chosen key, owned by one citizen."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Upload(Model):
    id = fields.IntField(primary_key=True)
    owner_id = fields.IntField(db_index=True)  # users.id of the citizen (or staff for blank forms)
    filename = fields.CharField(max_length=255)  # the client's name, display only, never a path
    storage_key = fields.CharField(max_length=128, unique=True)  # server-chosen
    content_type = fields.CharField(max_length=100)  # sniffed from the content
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64, db_index=True)
    attached = fields.BooleanField(default=False, db_index=True)  # used by a case (else an orphan)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "uploads"
