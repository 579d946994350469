"""The service catalog: departments, service items and their published versions.

An item (``ServiceItem``, identified by its implementation code) is edited as a draft
``ItemVersion`` and published; an application keeps the version it was filed under, with that
version's materials. The item row carries a copy of the published version's summary columns so
that lists and filters never join versions.

The catalog also keeps the synonyms citizens type (驾照 → 机动车驾驶证; they travel in the catalog file)
and its revision: every API process holds a search index of the published catalog, and the revision
row is how a process learns that another one changed what the index shows, and rebuilds.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Department(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)  # e.g. GA (公安), used as case-number prefix
    name = fields.CharField(max_length=64)
    sort = fields.IntField(default=0)
    phone = fields.CharField(max_length=32, default="")
    address = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "departments"


class ServiceItem(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)  # 实施编码 (implementation code)
    basic_code = fields.CharField(max_length=32, db_index=True)  # 基本编码 (12 digits nationally)
    department = fields.ForeignKeyField("models.Department", related_name="items", on_delete=fields.RESTRICT)
    # ids of ItemVersion rows; plain columns, not foreign keys, because item ↔ version would be a
    # cycle that Tortoise's migration writer orders wrongly
    published_version_id = fields.IntField(null=True)
    draft_version_id = fields.IntField(null=True)
    # summary of the published version (denormalised for lists, filters and search)
    is_published = fields.BooleanField(default=False, db_index=True)
    name = fields.CharField(max_length=200)
    audience = fields.CharField(max_length=16, default="personal")  # personal | business | both
    trips = fields.SmallIntField(default=1)  # 到办事现场次数 0, 1, 2
    online = fields.BooleanField(default=False)
    deliverable = fields.BooleanField(default=False)
    bookable = fields.BooleanField(default=False)
    promised_days = fields.IntField(default=0)
    statutory_days = fields.IntField(default=0)
    item_type = fields.CharField(max_length=32, default="")
    # popularity, used in ranking: detail views and applications filed
    views = fields.IntField(default=0)
    applications = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service_items"


class ItemVersion(Model):
    id = fields.IntField(primary_key=True)
    item = fields.ForeignKeyField("models.ServiceItem", related_name="versions", on_delete=fields.CASCADE)
    version = fields.IntField()
    status = fields.CharField(max_length=16, default="draft")  # catalog.transitions.VERSION_STATUSES
    name = fields.CharField(max_length=200)
    item_type = fields.CharField(max_length=32)  # 行政许可, 行政确认, 公共服务 …
    audience = fields.CharField(max_length=16, default="personal")
    statutory_days = fields.IntField()  # 法定办结时限 (working days)
    promised_days = fields.IntField()  # 承诺办结时限; 0 = 即办件
    time_unit = fields.CharField(max_length=16, default="working_day")  # working_day | natural_day
    # instant (即办件) | promised (承诺件)
    processing_type = fields.CharField(max_length=16, default="promised")
    visits = fields.SmallIntField()  # 到办事现场次数
    visits_reason = fields.CharField(max_length=500, default="")
    online = fields.BooleanField(default=False)
    online_depth = fields.SmallIntField(default=0)  # 网上办理深度 1–4
    deliverable = fields.BooleanField(default=False)  # 支持物流快递
    bookable = fields.BooleanField(default=False)  # 支持预约
    charges_fee = fields.BooleanField(default=False)
    # every other element of the guide (basis, conditions, fees, procedure, place, hours,
    # contact, complaint channels, result, FAQs) as one document
    guide = fields.JSONField(default=dict)
    effective_from = fields.DateField(null=True)
    published_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    created_by = fields.IntField(null=True)
    # sha256 of the version's canonical content: an import of unchanged content is a no-op
    content_hash = fields.CharField(max_length=64, default="")

    class Meta:
        table = "item_versions"
        unique_together = (("item", "version"),)


class Material(Model):
    id = fields.IntField(primary_key=True)
    version = fields.ForeignKeyField("models.ItemVersion", related_name="materials", on_delete=fields.CASCADE)
    position = fields.SmallIntField(default=0)
    name = fields.CharField(max_length=200)
    necessity = fields.CharField(max_length=16, default="required")  # required | tolerated (容缺) | optional
    kind = fields.CharField(max_length=64, default="", db_index=True)  # reuse key, e.g. id_card
    forms = fields.JSONField(default=list)  # ["原件", "复印件", "电子"]
    copies = fields.SmallIntField(default=1)
    source = fields.CharField(max_length=200, default="申请人自备")
    blank_form_upload_id = fields.IntField(null=True)
    sample_upload_id = fields.IntField(null=True)
    notes = fields.TextField(default="")
    # 电子证照: the licence type (catalog.vocabulary) that satisfies it with the citizen's consent
    accepts_licence = fields.CharField(max_length=32, default="")

    class Meta:
        table = "item_materials"


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
