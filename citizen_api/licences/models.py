"""电子证照 (e-licences), the holder's consents to use one for a case, and the forms citizens filed.

A licence belongs to a person, not to a WeChat account: ``holder_index`` is the blind index of the
holder's ID number (``security.crypto.blind_index``), so every account of that person finds it in
their wallet. A consent lets one case use one licence for one material; revoking it keeps the row
(on the record) and hides the licence's content from the clerk.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Licence(Model):
    id = fields.IntField(primary_key=True)
    licence_type = fields.CharField(max_length=32, db_index=True)  # catalog.vocabulary.LICENCE_TYPES
    type_name = fields.CharField(max_length=64)  # as issued (营业执照)
    number = fields.CharField(max_length=64, unique=True)
    holder_index = fields.CharField(max_length=64, db_index=True)  # blind index of the ID number
    holder_user_id = fields.IntField()  # the account of the case it came from
    holder_name_enc = fields.TextField()
    subject_name = fields.CharField(max_length=200, null=True)  # e.g. the company, from the case's form
    credit_code = fields.CharField(max_length=18, null=True)  # 统一社会信用代码 (营业执照)
    issuer_code = fields.CharField(max_length=32)  # the department that decided the case
    issuer_name = fields.CharField(max_length=64)
    valid_from = fields.DateField()
    valid_until = fields.DateField(null=True)  # None: 长期有效
    application_id = fields.IntField(unique=True)  # one licence per approved case
    case_number = fields.CharField(max_length=32)
    item_code = fields.CharField(max_length=64)
    result_upload_id = fields.IntField(null=True)  # the result file, when there is one
    issued_at = fields.DatetimeField()

    class Meta:
        table = "licences"


class LicenceConsent(Model):
    id = fields.IntField(primary_key=True)
    licence = fields.ForeignKeyField("models.Licence", related_name="consents", on_delete=fields.RESTRICT)
    user_id = fields.IntField(db_index=True)  # who consented (the applicant of the case)
    application_id = fields.IntField(db_index=True)
    case_number = fields.CharField(max_length=32)
    material_id = fields.IntField()
    material_name = fields.CharField(max_length=200)
    granted_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "licence_consents"
        unique_together = (("application_id", "material_id"),)


class CaseForm(Model):
    """The application form exactly as the citizen sent it (encrypted: it holds personal data)."""

    id = fields.IntField(primary_key=True)
    application_id = fields.IntField(unique=True)
    applicant_id = fields.IntField(db_index=True)
    item_code = fields.CharField(max_length=64)
    field_names = fields.JSONField(default=list)  # the names, in the order sent (not personal)
    values_enc = fields.TextField()  # JSON {field: value}, encrypted
    created_at = fields.DatetimeField()

    class Meta:
        table = "case_forms"
