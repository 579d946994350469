"""Calendar overrides on top of chinese-calendar: imported State Council schedules and admin changes."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

# Two layers, one row per (day, source): an admin's decision wins over the imported schedule,
# which wins over chinese-calendar. Re-importing a year replaces only the "import" layer.
SOURCE_IMPORT = "import"
SOURCE_ADMIN = "admin"


class CalendarDay(Model):
    id = fields.IntField(primary_key=True)
    day = fields.DateField()
    year = fields.SmallIntField(db_index=True)  # day.year, so a re-import deletes its year cheaply
    source = fields.CharField(max_length=8)  # import | admin
    # import: holiday | workday (调休 make-up workday); admin: holiday_service | closed | workday
    kind = fields.CharField(max_length=16)
    name = fields.CharField(max_length=100, default="")  # holiday name (import) or the admin's note
    updated_by = fields.IntField(null=True)  # users.id of the admin; NULL for the import command
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "calendar_days"
        unique_together = (("day", "source"),)


class CalendarYear(Model):
    """A year whose official schedule was imported: known, even beyond chinese-calendar's range."""

    # a surrogate key: Tortoise's migration writer drops ``generated=False`` from natural keys
    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    holiday_dates = fields.SmallIntField(default=0)
    workday_dates = fields.SmallIntField(default=0)
    imported_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "calendar_years"


class CalendarState(Model):
    """One row whose token changes on every calendar write: processes reload their cache on change."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=16, unique=True)  # always "calendar": the upsert's key
    token = fields.CharField(max_length=32)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "calendar_state"
