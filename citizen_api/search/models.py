"""Search data kept in the database: synonyms (editable by admins) and the catalog revision.

Every API process holds its own in-memory index; the revision row is how a process learns that
another one changed the catalog (publish, unpublish, department or synonym edit) and rebuilds.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Synonym(Model):
    """A colloquial or short name and the catalog's word for it: 驾照 → 机动车驾驶证."""

    id = fields.IntField(primary_key=True)
    term = fields.CharField(max_length=32, db_index=True)
    canonical = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "search_synonyms"
        unique_together = (("term", "canonical"),)


class CatalogRevision(Model):
    """One row (id 1), bumped in the same transaction as every change that the index shows."""

    id = fields.IntField(primary_key=True)
    revision = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_revision"
