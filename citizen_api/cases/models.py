"""Cases (办件): an application for a service item, its materials and its timeline."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Application(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)  # department prefix + date + sequence
    applicant = fields.ForeignKeyField("models.User", related_name="applications", on_delete=fields.RESTRICT)
    item = fields.ForeignKeyField("models.ServiceItem", related_name="cases", on_delete=fields.RESTRICT)
    item_version = fields.ForeignKeyField(
        "models.ItemVersion", related_name="cases", on_delete=fields.RESTRICT
    )
    department_code = fields.CharField(max_length=32, db_index=True)
    status = fields.CharField(max_length=24, default="submitted", db_index=True)
    # phone tail for the public progress query, as a keyed hash (never the digits in clear)
    phone_tail_index = fields.CharField(max_length=64, default="")
    tolerate_missing = fields.BooleanField(default=False)
    missing = fields.JSONField(default=list)  # material ids still owed (容缺 or requested)
    missing_due = fields.DateField(null=True)  # date by which 容缺 materials must follow
    # the working-day clock
    accepted_on = fields.DateField(null=True)
    deadline = fields.DateField(null=True, db_index=True)
    calendar_uncertain = fields.BooleanField(default=False)
    suspended_on = fields.DateField(null=True)
    warning = fields.CharField(max_length=8, default="none", db_index=True)  # none | yellow | red
    submitted_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    decided_at = fields.DatetimeField(null=True)  # approved or rejected (the case is done)
    finished_at = fields.DatetimeField(null=True)  # delivered, withdrawn, not accepted
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "applications"
        indexes = (("department_code", "status", "submitted_at"),)


class ApplicationMaterial(Model):
    id = fields.IntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="materials", on_delete=fields.CASCADE
    )
    material = fields.ForeignKeyField(
        "models.Material", related_name="submissions", on_delete=fields.RESTRICT
    )
    upload = fields.ForeignKeyField("models.Upload", related_name="submissions", on_delete=fields.RESTRICT)
    status = fields.CharField(max_length=16, default="submitted")  # submitted | accepted | rejected
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_materials"


class TimelineEntry(Model):
    id = fields.BigIntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="timeline", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField(auto_now_add=True)
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=16)
    kind = fields.CharField(max_length=16, default="status")  # status | delivery | rating | note
    from_status = fields.CharField(max_length=24, null=True)
    to_status = fields.CharField(max_length=24)
    note = fields.TextField(default="")

    class Meta:
        table = "application_timeline"
