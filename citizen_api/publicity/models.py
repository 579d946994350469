"""Published decisions (许可公示)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PublishedDecision(Model):
    """One decision on a business item, as the public sees it: the company, never the applicant.

    Written in the decision's own unit of work (the cases domain's approve and reject hooks), so a
    decision is public exactly when it is committed; one row per case."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(unique=True)
    item_code = fields.CharField(max_length=64, db_index=True)
    item_name = fields.CharField(max_length=200)
    department_code = fields.CharField(max_length=32, db_index=True)
    company = fields.CharField(max_length=200)
    credit_code = fields.CharField(max_length=18, default="", db_index=True)
    decision = fields.CharField(max_length=16)  # approved | rejected
    decided_on = fields.DateField(db_index=True)
    result_number = fields.CharField(max_length=64, db_index=True)  # the licence's number, else the case's
    # what ``q`` matches: company, credit code, item name and result number, lower-cased
    search_text = fields.TextField(default="")

    class Meta:
        table = "published_decisions"
