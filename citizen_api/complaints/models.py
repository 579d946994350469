"""Complaints (投诉) with the staff member first asked (首问负责) and the supervisor's reply."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.complaints.transitions import INITIAL


class Complaint(Model):
    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="complaints", on_delete=fields.RESTRICT)
    application = fields.ForeignKeyField(
        "models.Application", related_name="complaints", null=True, on_delete=fields.RESTRICT
    )
    department_code = fields.CharField(max_length=32, null=True, db_index=True)  # NULL: about the hall
    content = fields.TextField()
    # 首问负责: the staff member the citizen first asked, as the citizen named them (窗口号、姓名) …
    first_contact_text = fields.CharField(max_length=50, default="")
    # … and the account, when the name is a staff username
    first_contact_staff_id = fields.IntField(null=True)
    status = fields.CharField(max_length=12, default=INITIAL, db_index=True)
    # "<application id>" while a complaint about that case is open: one open complaint per case
    # (unique, so a race cannot file two); NULL once replied, and for complaints about the hall
    open_key = fields.CharField(max_length=16, null=True, unique=True)
    due_on = fields.DateField(db_index=True)  # working days (complaint_reply_days)
    calendar_uncertain = fields.BooleanField(default=False)
    reply = fields.TextField(default="")
    replied_by = fields.IntField(null=True)
    replied_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "complaints"
