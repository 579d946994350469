"""AB角: each clerk's backup (B角), and each absence with what was handed over."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.staffing.transitions import ABSENT


class Backup(Model):
    """A clerk's (A角) named backup (B角): same department and role, set by a supervisor or admin."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    backup_user_id = fields.IntField(db_index=True)
    set_by = fields.IntField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "staff_backups"


class Absence(Model):
    """A clerk marked absent, and what went to their backup then: the case ids and ticket numbers
    moved (a return moves back only those cases the backup still holds)."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    # = user_id while absent, NULL once returned: the database refuses a second open absence
    open_key = fields.IntField(null=True, unique=True)
    backup_user_id = fields.IntField(db_index=True)
    status = fields.CharField(max_length=12, default=ABSENT)
    reason = fields.CharField(max_length=200)
    started_at = fields.DatetimeField()
    started_by = fields.IntField()
    case_ids = fields.JSONField(default=list)
    tickets = fields.JSONField(default=list)  # queue numbers moved to the backup's window
    group_name = fields.CharField(max_length=64, null=True)  # the window group the backup covers
    ended_at = fields.DatetimeField(null=True)
    ended_by = fields.IntField(null=True)
    returned_case_ids = fields.JSONField(default=list)

    class Meta:
        table = "staff_absences"
