"""Home visit requests (上门服务)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.visits.transitions import PENDING


class HomeVisit(Model):
    """A citizen's request for staff to come, and what became of it. Personal data (address, phone)
    is stored encrypted and shown masked except to the citizen and the staff who go."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    item_code = fields.CharField(max_length=64)
    item_name = fields.CharField(max_length=200)
    department_code = fields.CharField(max_length=32, db_index=True)
    reason = fields.CharField(max_length=16)  # age | disability | illness
    reason_note = fields.CharField(max_length=200, default="")
    applicant_name_enc = fields.TextField(null=True)
    phone_enc = fields.TextField(null=True)
    address_enc = fields.TextField()
    preferred_days = fields.JSONField(default=list)  # ["YYYY-MM-DD", …]
    status = fields.CharField(max_length=24, default=PENDING, db_index=True)
    requested_at = fields.DatetimeField()
    confirmed_by = fields.IntField(null=True)
    scheduled_on = fields.DateField(null=True, db_index=True)
    window_start = fields.CharField(max_length=5, null=True)  # HH:MM
    window_end = fields.CharField(max_length=5, null=True)
    staff_names = fields.JSONField(default=list)  # who goes
    scheduled_by = fields.IntField(null=True)
    outcome = fields.CharField(max_length=24, null=True)  # accepted_on_site | materials_taken | not_home
    materials_taken = fields.JSONField(default=list)
    case_number = fields.CharField(max_length=32, null=True)  # a case accepted on site
    outcome_note = fields.CharField(max_length=500, default="")
    recorded_by = fields.IntField(null=True)
    done_at = fields.DatetimeField(null=True)
    refusal_reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "home_visits"
