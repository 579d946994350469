"""Users: citizens (by WeChat openid) and staff (by username), one table, one id space."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class User(Model):
    id = fields.IntField(primary_key=True)
    role = fields.CharField(max_length=16, db_index=True)
    # citizens: the mini-program openid, the unionid linking the official account
    openid = fields.CharField(max_length=64, null=True, unique=True)
    unionid = fields.CharField(max_length=64, null=True, db_index=True)
    # staff
    username = fields.CharField(max_length=64, null=True, unique=True)
    password_hash = fields.CharField(max_length=255, null=True)
    department_code = fields.CharField(max_length=32, null=True, db_index=True)
    display_name = fields.CharField(max_length=64, null=True)
    # personal data, AES-GCM encrypted; *_index are keyed hashes for exact lookups
    name_enc = fields.TextField(null=True)
    id_number_enc = fields.TextField(null=True)
    id_number_index = fields.CharField(max_length=64, null=True, db_index=True)
    phone_enc = fields.TextField(null=True)
    phone_index = fields.CharField(max_length=64, null=True, db_index=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"
