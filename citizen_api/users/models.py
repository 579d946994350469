"""Users: citizens (by WeChat openid) and staff (by username), one table, one id space; and the
official account's followers, the same people's identity on the account (linked by unionid)."""

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
    # a 代办员 (village_agent): the village service point (an office code) they work for
    office_code = fields.CharField(max_length=32, null=True)
    display_name = fields.CharField(max_length=64, null=True)
    # personal data, AES-GCM encrypted; *_index are keyed hashes for exact lookups
    name_enc = fields.TextField(null=True)
    id_number_enc = fields.TextField(null=True)
    id_number_index = fields.CharField(max_length=64, null=True, db_index=True)
    phone_enc = fields.TextField(null=True)
    phone_index = fields.CharField(max_length=64, null=True, db_index=True)
    # keyed hashes for the hall's look-ups: the full name, the phone's last four digits
    name_index = fields.CharField(max_length=64, null=True, db_index=True)
    phone_tail_index = fields.CharField(max_length=64, null=True, db_index=True)
    # set when an admin created the account or reset its password; cleared by POST /auth/password
    must_change_password = fields.BooleanField(default=False)
    # indexed: every API process reloads the few disabled ids every couple of seconds
    is_active = fields.BooleanField(default=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"


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
