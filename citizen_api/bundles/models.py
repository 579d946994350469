"""一件事一次办: bundles of service items a citizen files at once, and their filings.

A ``Bundle`` is defined by an admin from published items (出生一件事: 出生医学证明, 户口登记, 医保参保,
社保卡); its merged materials list is worked out from the items' published versions (``merge.py``),
so it never goes stale when an item is republished. A ``BundleApplication`` is one citizen's filing:
each item became a child case of its own department (``Application.bundle_id``); the bundle's status
is derived from them and kept here for the list and for the messages.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Bundle(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    # the merged application form (一表申请) that replaces each item's own application form
    form_name = fields.CharField(max_length=100, default="")
    item_codes = fields.JSONField(default=list)  # in the guide's order; every one published to publish
    status = fields.CharField(max_length=16, default="draft", db_index=True)  # draft | published
    sort = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "bundles"


class BundleApplication(Model):
    """One filing of a bundle, addressed at ``/applications/{application_id}`` beside the citizen's cases:
    that id is taken from the cases' own id sequence (``cases.service.reserve_application_id``), so a
    bundle and a case never share one. Children point at it (``Application.bundle_id``)."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(unique=True)
    number = fields.CharField(max_length=32, unique=True)
    applicant = fields.ForeignKeyField(
        "models.User", related_name="bundle_applications", on_delete=fields.RESTRICT
    )
    bundle = fields.ForeignKeyField("models.Bundle", related_name="applications", on_delete=fields.RESTRICT)
    bundle_code = fields.CharField(max_length=64)
    bundle_name = fields.CharField(max_length=100)
    # derived from the children (``status.py``), stored by every child's change in its transaction
    status = fields.CharField(max_length=24, default="submitted", db_index=True)
    done_at = fields.DatetimeField(null=True)  # every child done
    submitted_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "bundle_applications"
        indexes = (("applicant_id", "submitted_at"),)
