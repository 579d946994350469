"""Lockers at the hall and the results deposited in them (自助取件)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.lockers.transitions import DEPOSITS


class Locker(Model):
    """A self-service pickup locker (智能取件柜), reached over its vendor's HTTP API."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)  # ours, e.g. SMZX-L1
    vendor_id = fields.CharField(max_length=64)  # the locker's id at the vendor's API
    name = fields.CharField(max_length=64)
    place = fields.CharField(max_length=200, default="")  # where citizens find it
    office_code = fields.CharField(max_length=32, default="", db_index=True)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "lockers"


class LockerDeposit(Model):
    """One case's result in one compartment, until the citizen picks it up with the code or it
    expires (then staff take it back to the window). The code itself is never stored: its HMAC is."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(db_index=True)
    case_number = fields.CharField(max_length=32)
    user_id = fields.IntField(db_index=True)  # the citizen told the code
    department_code = fields.CharField(max_length=32, db_index=True)  # the case's: staff see their own
    locker = fields.ForeignKeyField("models.Locker", related_name="deposits", on_delete=fields.RESTRICT)
    compartment = fields.CharField(max_length=16)
    code_digest = fields.CharField(max_length=64, unique=True)  # HMAC-SHA256(secret, locker:code)
    code_enc = fields.TextField(null=True)  # the code itself, encrypted: shown to its citizen only
    status = fields.CharField(max_length=16, default=DEPOSITS.statuses[0], db_index=True)
    deposited_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    deposited_by = fields.IntField()
    picked_up_at = fields.DatetimeField(null=True)
    retrieved_at = fields.DatetimeField(null=True)
    retrieved_by = fields.IntField(null=True)

    class Meta:
        table = "locker_deposits"
