"""好差评: ratings of cases (一事一评) and window visits (一次一评), rectifications, appeals.

A rating is never deleted or changed: an upheld appeal only marks it ``excluded`` (with a reason)
so that it leaves the statistics while staying on record.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.ratings.transitions import OPEN, PENDING, TEXT
from citizen_api.ratings.vocabulary import LEVELS, RECTIFICATION_VERDICTS

# Rating kinds
CASE = "case"
VISIT = "visit"
KINDS = (CASE, VISIT)


class Rating(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8)  # case | visit
    # one rating per case and one per visit: the database refuses a second one even under a race
    application = fields.OneToOneField(
        "models.Application", related_name="rating", null=True, on_delete=fields.RESTRICT
    )
    appointment_id = fields.IntField(null=True, unique=True)
    user = fields.ForeignKeyField("models.User", related_name="ratings", on_delete=fields.RESTRICT)
    department_code = fields.CharField(max_length=32, db_index=True)
    level = fields.SmallIntField()  # 1 非常不满意 … 5 非常满意
    tags = fields.JSONField(default=list)
    comment = fields.TextField(default="")
    automatic = fields.BooleanField(default=False)  # 基本满意 recorded because the window passed
    # the service rated: when the case was decided or the visit checked in (statistics periods)
    service_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    excluded = fields.BooleanField(default=False)  # left out of statistics after an upheld appeal
    exclusion_reason = fields.TextField(default="")
    excluded_by = fields.IntField(null=True)
    excluded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ratings"
        indexes = (("department_code", "service_at"),)

    @property
    def level_text(self) -> str:
        return LEVELS[self.level]


class Rectification(Model):
    """A 差评's follow-up by the handling department: return visit, rectification, the citizen's verdict."""

    id = fields.IntField(primary_key=True)
    rating = fields.OneToOneField("models.Rating", related_name="rectification", on_delete=fields.RESTRICT)
    department_code = fields.CharField(max_length=32, db_index=True)
    status = fields.CharField(max_length=12, default=OPEN, db_index=True)
    visit_due = fields.DateField()  # working days (rating_return_visit_days)
    rectify_due = fields.DateField()  # working days (rating_rectify_days)
    calendar_uncertain = fields.BooleanField(default=False)
    visited_at = fields.DatetimeField(null=True)
    visit_note = fields.TextField(default="")
    rectified_at = fields.DatetimeField(null=True)
    rectify_note = fields.TextField(default="")
    verdict = fields.CharField(max_length=20, null=True)  # satisfied | basically_satisfied | unsatisfied
    verdict_comment = fields.TextField(default="")
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rating_rectifications"
        indexes = (("status", "rectify_due"),)

    @property
    def status_text(self) -> str:
        return TEXT.get(self.status, self.status)

    @property
    def verdict_text(self) -> str | None:
        return RECTIFICATION_VERDICTS.get(self.verdict or "")


class RectificationNote(Model):
    """Every step of a rectification, by whom, with what note (append-only)."""

    id = fields.IntField(primary_key=True)
    rectification = fields.ForeignKeyField(
        "models.Rectification", related_name="notes", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField(auto_now_add=True)
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=16)
    from_status = fields.CharField(max_length=12)
    to_status = fields.CharField(max_length=12)
    note = fields.TextField(default="")

    class Meta:
        table = "rating_rectification_notes"


class Appeal(Model):
    """A department's appeal (申诉) against a malicious or mistaken rating, decided by a supervisor."""

    id = fields.IntField(primary_key=True)
    rating = fields.ForeignKeyField("models.Rating", related_name="appeals", on_delete=fields.RESTRICT)
    department_code = fields.CharField(max_length=32, db_index=True)
    reason = fields.TextField()
    filed_by = fields.IntField()
    filed_at = fields.DatetimeField(auto_now_add=True)
    status = fields.CharField(max_length=12, default=PENDING, db_index=True)
    # "<rating id>" while pending: one open appeal per rating (unique), NULL once decided
    pending_key = fields.CharField(max_length=16, null=True, unique=True)
    decided_by = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decision_reason = fields.TextField(default="")

    class Meta:
        table = "rating_appeals"
