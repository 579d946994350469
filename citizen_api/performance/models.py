"""效能考评: the weighting, each computed month with the weights it used, its scores, and the cases
behind them (a snapshot taken at computing: a score stays traceable to exactly what it counted)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PerformanceWeights(Model):
    """The weighting in force (one row, id 1; absent: the defaults of ``scoring.DEFAULT_WEIGHTS``)."""

    id = fields.IntField(primary_key=True)
    on_time = fields.SmallIntField()
    warnings = fields.SmallIntField()
    steps_overdue = fields.SmallIntField()
    rating = fields.SmallIntField()
    complaints = fields.SmallIntField()
    updated_by = fields.IntField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "performance_weights"


class PerformanceMonth(Model):
    """A computed month (China time): the weights it used, so later changes leave it as it was."""

    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7, unique=True)  # YYYY-MM
    weights = fields.JSONField()  # {"on_time": 40, …}
    computed_at = fields.DatetimeField()
    computed_by = fields.IntField(null=True)  # None: the monthly job

    class Meta:
        table = "performance_months"


class PerformanceScore(Model):
    """One department, window or staff member's score of a month, with its sub-scores' raw figures."""

    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7)
    level = fields.CharField(max_length=12)  # department | window | staff
    key = fields.CharField(max_length=32)  # department code, window id, staff account id
    label = fields.CharField(max_length=100)
    department_code = fields.CharField(max_length=32, null=True)
    score = fields.FloatField(null=True)  # 0–100; None: no figure at all
    parts = fields.JSONField()  # [{"name", "score", "numerator", "denominator", …}]
    cases = fields.IntField(default=0)  # the cases behind the score

    class Meta:
        table = "performance_scores"
        unique_together = (("month", "level", "key"),)


class PerformanceCase(Model):
    """A case as it went into one score of a month (a case counts for its department, its window and its
    clerk; a step of it also for the step's holder and the holder's window)."""

    id = fields.BigIntField(primary_key=True)
    month = fields.CharField(max_length=7)
    level = fields.CharField(max_length=12)
    key = fields.CharField(max_length=32)
    case_id = fields.IntField()
    number = fields.CharField(max_length=32)
    item_name = fields.CharField(max_length=200)
    decided = fields.BooleanField()  # decided in the month and counted here (else only its steps count)
    on_time = fields.BooleanField(null=True)
    warned = fields.BooleanField(default=False)
    rating = fields.SmallIntField(null=True)  # 1–5
    complaints = fields.SmallIntField(default=0)
    steps = fields.SmallIntField(default=0)
    steps_overdue = fields.SmallIntField(default=0)

    class Meta:
        table = "performance_cases"
        unique_together = (("month", "level", "key", "case_id"),)
