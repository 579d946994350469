"""三级便民服务: where each office sits in the hierarchy, the cases village points filed (with the
villager's consent), and the results sent to a point for collection."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.points.transitions import AT_POINT


class OfficePlace(Model):
    """An office's place in the hierarchy: its level and its parent's code. Offices are the
    appointments domain's halls, named by code (an office not placed yet has no row)."""

    id = fields.IntField(primary_key=True)
    office_code = fields.CharField(max_length=32, unique=True)
    level = fields.CharField(max_length=16, db_index=True)  # district | town | village
    parent_code = fields.CharField(max_length=32, null=True, db_index=True)
    placed_by = fields.IntField()
    placed_at = fields.DatetimeField()

    class Meta:
        table = "point_office_places"


class PointFiling(Model):
    """A case a village point's 代办员 filed for a villager present, and the villager's consent: a
    signature image (an upload of the agent's) signed at the point."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(unique=True)
    case_number = fields.CharField(max_length=32)
    point_code = fields.CharField(max_length=32, db_index=True)
    agent_id = fields.IntField()
    signature_upload_id = fields.IntField()
    consented_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "point_filings"


class PointDelivery(Model):
    """A case's result sent to a village point, until the villager collects it there."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(db_index=True)
    case_number = fields.CharField(max_length=32)
    item_name = fields.CharField(max_length=200)
    user_id = fields.IntField()  # the citizen told
    department_code = fields.CharField(max_length=32)
    point_code = fields.CharField(max_length=32, db_index=True)
    status = fields.CharField(max_length=16, default=AT_POINT, db_index=True)
    arrived_at = fields.DatetimeField(db_index=True)
    sent_by = fields.IntField()
    handed_over_at = fields.DatetimeField(null=True)
    handed_over_by = fields.IntField(null=True)

    class Meta:
        table = "point_deliveries"
